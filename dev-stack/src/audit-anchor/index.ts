import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { anchorMac, macMatches, type AnchoredHead, type AuditAnchor } from '@pm-agent/backend/store';
import type { AuditHead } from '@pm-agent/backend/store';

/**
 * A local stand-in for the S3 Object Lock bucket the audit head is published to on AWS: an
 * append-only file of published heads (`audit-anchor.jsonl`), each line signed with a key kept in
 * its own file (`audit-anchor.key`, 0600), never in the store. Someone who rewrites the store and
 * the anchor file without the key cannot make them agree.
 */
/** The anchor's file names in the local home (the key is `audit-anchor.key` beside it). */
export const ANCHOR_FILE = 'audit-anchor.jsonl';
export const ANCHOR_KEY_FILE = 'audit-anchor.key';

export class FileAnchor implements AuditAnchor {
  readonly describe: string;
  private readonly key: Buffer;

  constructor(
    private readonly file: string,
    keyFile: string,
  ) {
    this.describe = `the audit anchor ${file}`;
    if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    this.key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64url');
    if (this.key.length < 32) throw new Error(`${keyFile} does not hold an anchor key (32 bytes, base64url)`);
  }

  async publish(head: AuditHead, at: string): Promise<void> {
    const line: AnchoredHead = { seq: head.seq, hash: head.hash, at, mac: anchorMac(this.key, head) };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }

  async read(): Promise<AnchoredHead[]> {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l): AnchoredHead => {
        try {
          const h = JSON.parse(l) as AnchoredHead;
          return typeof h.seq === 'number' && typeof h.hash === 'string' ? h : { seq: -1, hash: '', at: '?' };
        } catch {
          return { seq: -1, hash: '', at: '?' };
        }
      });
  }

  authentic(head: AnchoredHead): boolean {
    return head.seq >= 0 && macMatches(this.key, head);
  }
}
