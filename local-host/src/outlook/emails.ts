import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, type EmailInput } from '@pm-agent/shared';

/**
 * The emails the local host can open in the pane: the backend's email corpus (ordinary and hostile,
 * read where it lives rather than copied, so the pane is always tried on exactly the mail the
 * sanitiser is tested on, all 65 of them) plus any email POSTed to /outlook/emails, kept in memory.
 */
export const FIXTURES_DIR = join(__dirname, '../../../backend/test/fixtures/emails');
export const SAMPLE_GROUPS = ['ordinary', 'hostile'] as const;
export type EmailGroup = (typeof SAMPLE_GROUPS)[number] | 'posted';

/** THE sample for the whole flow: a vendor moves the ABC-123 sandbox date. */
export const DEFAULT_EMAIL_ID = 'deadline-moves-abc-123';

/** Posted emails beyond this many push out the oldest: the host must not grow without bound. */
export const MAX_POSTED = 500;

export const EMAIL_ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

export interface EmailSummary {
  id: string;
  group: EmailGroup;
  subject: string;
  from: string;
}

export class EmailBook {
  private readonly entries = new Map<string, { group: EmailGroup; email: EmailInput }>();
  private readonly posted: string[] = [];

  /** Reads every *.json in the corpus folders except expectations.json; a file that fails the schema is skipped and logged. */
  static fromFixtures(dir = FIXTURES_DIR, log?: (line: string) => void): EmailBook {
    const book = new EmailBook();
    for (const group of SAMPLE_GROUPS) {
      const folder = join(dir, group);
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.json') && f !== 'expectations.json').sort()) {
        const id = file.replace(/\.json$/, '');
        const parsed = EmailInputSchema.safeParse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
        if (!parsed.success || !EMAIL_ID.test(id) || book.entries.has(id)) {
          log?.(`outlook: skipped sample ${group}/${file} (${parsed.success ? 'duplicate or odd name' : parsed.error.issues[0]?.message})`);
          continue;
        }
        book.entries.set(id, { group, email: parsed.data });
      }
    }
    return book;
  }

  list(): EmailSummary[] {
    return [...this.entries].map(([id, { group, email }]) => ({ id, group, subject: email.subject, from: email.from.name ?? email.from.address }));
  }

  get(id: string): EmailInput | undefined {
    return this.entries.get(id)?.email;
  }

  /** Stores an already-validated email and returns its new id. */
  add(email: EmailInput): string {
    const id = `posted-${randomBytes(8).toString('hex')}`;
    this.entries.set(id, { group: 'posted', email });
    this.posted.push(id);
    while (this.posted.length > MAX_POSTED) this.entries.delete(this.posted.shift()!);
    return id;
  }
}
