import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntry } from '@pm-agent/shared';
import type { AuditHead } from './store';

/**
 * The audit chain's head, published outside the store after every commit that appends to it, so
 * that whoever can write the store cannot rewrite history unnoticed: cutting the tail and moving
 * the head, deleting every entry, or rewriting the whole chain with recomputed hashes all leave
 * the chain disagreeing with a head that was published earlier.
 *
 * Where it is published must be out of the store writers' reach:
 * - on AWS: an S3 bucket with Object Lock in compliance mode, one object per published head; the
 *   API role may only PutObject there (no delete, and a locked object version cannot be
 *   overwritten or removed, not even by the account root, until its retention ends);
 * - locally: an append-only file beside the store, each line signed with a key the store never
 *   holds (`dev-stack/src/audit-anchor/`), standing in for the bucket.
 */
export interface AnchoredHead {
  seq: number;
  hash: string;
  at: string;
  /** HMAC-SHA256 over seq and hash with the anchor key, where the anchor signs (locally). */
  mac?: string;
}

export interface AuditAnchor {
  readonly describe: string;
  publish(head: AuditHead, at: string): Promise<void>;
  /** Every head published so far, as stored (unverified). */
  read(): Promise<AnchoredHead[]>;
  /** Whether a published head's signature holds (always true where the medium itself is immutable). */
  authentic(head: AnchoredHead): boolean;
}

export function anchorMac(key: Buffer, head: AuditHead): string {
  return createHmac('sha256', key).update(`pm-agent audit head\n${head.seq}\n${head.hash}`, 'utf8').digest('hex');
}

export function macMatches(key: Buffer, head: AnchoredHead): boolean {
  if (!head.mac || !/^[0-9a-f]{64}$/.test(head.mac)) return false;
  return timingSafeEqual(Buffer.from(anchorMac(key, head), 'hex'), Buffer.from(head.mac, 'hex'));
}

/**
 * What the chain must agree with: every authentic published head names an entry that is still
 * there with the same hash. Returns the problems found (none: the chain agrees).
 */
export function checkAgainstAnchor(entries: readonly AuditEntry[], published: readonly AnchoredHead[], anchor: Pick<AuditAnchor, 'authentic' | 'describe'>): string[] {
  const problems: string[] = [];
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const last = entries.at(-1)?.seq ?? 0;
  let highest = 0;
  published.forEach((h, i) => {
    if (!anchor.authentic(h)) {
      problems.push(`published head ${i + 1} (entry ${h.seq}) in ${anchor.describe} is not signed with the anchor key: the anchor itself was edited`);
      return;
    }
    highest = Math.max(highest, h.seq);
    const e = bySeq.get(h.seq);
    if (e && e.hash !== h.hash) problems.push(`entry ${h.seq} is not the entry published at ${h.at} (hash ${e.hash.slice(0, 12)}…, published ${h.hash.slice(0, 12)}…): the trail was rewritten`);
  });
  if (highest > last) {
    problems.push(
      last === 0
        ? `the trail is empty, but ${anchor.describe} shows ${highest} entries were written: every entry was deleted`
        : `the trail ends at entry ${last}, but ${anchor.describe} shows it reached entry ${highest}: entries at the end were removed`,
    );
  }
  return problems;
}
