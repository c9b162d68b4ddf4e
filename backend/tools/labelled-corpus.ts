import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, type Category, type SanitisedEmail } from '@pm-agent/shared';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from '../src/stages/sanitise';

/**
 * The labelled sets of ordinary work mail (backend/test/fixtures/emails/labelled-sets.json), read
 * through the same offline sanitise and fact extraction the stages run: what the learned model is
 * trained and measured on.
 */
export const EMAILS_DIR = join(__dirname, '../test/fixtures/emails');
/** The context the offline tests and benches classify in. */
export const LABELLED_CTX = { internalDomains: ['example.com'], defaultProjectKey: 'ABC' } as const;

export type Priority = 'urgent' | 'high' | 'normal' | 'low';
export interface LabelledSet {
  emails: number;
  written: string;
  blindCategoryAccuracy: number | null;
  tunedOn: boolean;
  /** Left out of the checked-in model's training (a set kept blind for it). */
  notTrainedOn?: boolean;
}
export interface LabelledEmail {
  set: string;
  file: string;
  email: SanitisedEmail;
  category: Category;
  priority: Priority;
}

export function labelledSets(): Record<string, LabelledSet> {
  return JSON.parse(readFileSync(join(EMAILS_DIR, 'labelled-sets.json'), 'utf8')) as Record<string, LabelledSet>;
}

export function sanitisedFixture(file: string): { input: ReturnType<typeof EmailInputSchema.parse>; clean: ReturnType<typeof sanitiseDeterministic>; email: SanitisedEmail } {
  const input = EmailInputSchema.parse(JSON.parse(readFileSync(join(EMAILS_DIR, file), 'utf8')));
  const clean = sanitiseDeterministic(input);
  return { input, clean, email: toSanitisedEmail(clean, extractFactsOffline(clean)) };
}

/** Every labelled email of the given sets, in a fixed order (set, then file). */
export function loadLabelled(sets: readonly string[]): LabelledEmail[] {
  return sets.flatMap((set) => {
    const labels = JSON.parse(readFileSync(join(EMAILS_DIR, set, 'labels.json'), 'utf8')) as Record<string, { category: Category; priority: Priority }>;
    return Object.keys(labels)
      .sort()
      .map((file) => ({ set, file, email: sanitisedFixture(file).email, category: labels[file]!.category, priority: labels[file]!.priority }));
  });
}
