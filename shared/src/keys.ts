import * as z from 'zod';

/**
 * Key formats the client and the server both check, defined once: the client refuses before
 * sending exactly what the server would refuse after (tools/test/one-source.test.ts).
 */

/** The Idempotency-Key header on decisions. A UUID (the client's default) fits. */
export const IdempotencyKeySchema = z.string().check(z.regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 letters, digits or ._:-'));

/** A triage's key: `msg_` and 32 hex characters (a hash of the mailbox and the email as received). */
export const MessageKeySchema = z.string().check(z.regex(/^msg_[0-9a-f]{32}$/, 'must be a message key such as msg_… (32 hex characters)'));
