import { createHash } from 'node:crypto';
import { canonicalJson, type AuditEntry } from '@pm-agent/shared';
import type { AuditDraft, AuditHead } from './store';

/**
 * The audit trail is a hash chain: each entry's hash covers its content and the previous entry's
 * hash, and the store keeps the head (last seq and hash) alongside. Editing an entry breaks its
 * hash; deleting one breaks the next entry's link or, at the end, the head.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function chainEntry(draft: AuditDraft, seq: number, prevHash: string): AuditEntry {
  const body = { seq, at: draft.at, actor: draft.actor, action: draft.action, subject: draft.subject, details: draft.details, prevHash };
  return { ...body, hash: entryHash(body) };
}

/** The entries a change set appends after `head`, chained in order. */
export function chainDrafts(head: AuditHead | null, drafts: readonly AuditDraft[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  for (const d of drafts) {
    const e = chainEntry(d, (seq += 1), prev);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor, action, subject, details, prevHash }), 'utf8').digest('hex');
}

export type ChainReport = { ok: true; entries: number; head: string } | { ok: false; entries: number; problems: string[] };

export function verifyChain(entries: AuditEntry[], head: AuditHead | null): ChainReport {
  const problems: string[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) problems.push(`entry ${expectedSeq}${e.seq > expectedSeq + 1 ? `–${e.seq - 1}` : ''} is missing (next stored entry is ${e.seq})`);
    if (e.prevHash !== prevHash) problems.push(`entry ${e.seq} does not link to the entry before it`);
    const computed = entryHash(e);
    if (computed !== e.hash) problems.push(`entry ${e.seq} was changed after it was written (stored hash ${e.hash.slice(0, 12)}…, content hashes to ${computed.slice(0, 12)}…)`);
    prevHash = e.hash;
    expectedSeq = e.seq + 1;
  }
  const last = entries.at(-1);
  if (head && (!last || head.seq !== last.seq || head.hash !== last.hash)) {
    problems.push(`the trail ends at entry ${last?.seq ?? 0} but the recorded head is entry ${head.seq}: entries at the end were removed or changed`);
  }
  if (!head && last) problems.push('the recorded head is missing');
  return problems.length ? { ok: false, entries: entries.length, problems } : { ok: true, entries: entries.length, head: prevHash };
}
