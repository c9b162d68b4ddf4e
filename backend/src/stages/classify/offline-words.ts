import type { SanitisedEmail } from '@pm-agent/shared';
import type { Features } from './offline-rules';
import { isInternalSender } from './sender';

/**
 * The tokens the learned model reads: the words of the subject and of the facts, the sender's role,
 * a few facts about the email's shape, and which rule rows matched. Each token counts once per
 * email (short texts: presence says more than repetition). Subject words count twice, once marked
 * as such: what the sender says the email is about weighs more than a word of its body. (Word
 * pairs were tried: with ~300 training emails they lost ground on the left-out sets.)
 */
export interface TokenInput {
  email: SanitisedEmail;
  f: Features;
  internalDomains: readonly string[];
  /** Ids of the category rule rows that match, first match first: the rules' opinion, as tokens whose weight is learned. */
  rules: readonly string[];
}

/** Issue keys, addresses and links name one organisation's projects and people: they say nothing about other mail (`shape:issue-key` keeps that a key was there). */
const PARTICULAR = /\b[A-Z][A-Z0-9_]{1,9}-\d+\b|\S+@\S+|\bhttps?:\/\/\S+/g;

/** Lower-case words; digits read as one shape ("INV-8841" and "INV-2231" are alike); apostrophes dropped ("don't" = "dont"). */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().replace(/['’]/g, '').match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/\p{N}+/gu, '0'));
}

/** A role address ("billing@", "it-helpdesk@", "no-reply@") says what kind of mail it sends; a person's ("ivy.chen@") says nothing general. */
function senderTokens(address: string, internalDomains: readonly string[]): string[] {
  const local = address.slice(0, address.lastIndexOf('@')).toLowerCase();
  const role = local.includes('.') ? [] : wordsOf(local).map((w) => `from:${w}`);
  return [isInternalSender(address, internalDomains) ? 'from:internal' : 'from:external', ...role];
}

const SHAPE: ReadonlyArray<[string, (f: Features) => boolean]> = [
  ['shape:date', (f) => f.hasDate],
  ['shape:issue-key', (f) => f.hasIssueKey],
  ['shape:asks', (f) => f.hasAsks],
  ['shape:question', (f) => f.hasQuestion],
  ['shape:list-mail', (f) => f.bulk],
];

export function tokensOf({ email, f, internalDomains, rules }: TokenInput): string[] {
  const subject = wordsOf(email.subject.replace(PARTICULAR, ' '));
  const body = wordsOf([email.facts.summary, ...email.facts.asks].join('\n').replace(PARTICULAR, ' '));
  const all = [
    ...subject.map((w) => `s:${w}`),
    ...subject,
    ...body,
    ...senderTokens(email.from.address, internalDomains),
    ...SHAPE.filter(([, test]) => test(f)).map(([name]) => name),
    ...email.attachments.map((a) => `attachment:${wordsOf(a.name.slice(a.name.lastIndexOf('.') + 1)).join('') || 'none'}`),
    `rule:${rules[0] ?? 'none'}`,
    ...rules.map((id) => `any:${id}`),
  ];
  return [...new Set(all)];
}
