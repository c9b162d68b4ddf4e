import { TRIAGE_LIMITS, truncate, type CleanEmail, type EmailInput, type EmailLink, type Signal } from '@pm-agent/shared';
import { collapse } from './excerpt';
import { HTML_LIMITS, htmlToText } from './html-to-text';
import { stripInvisible } from './invisible';
import { LINK_LIMITS, linksInText, mergeLinks } from './links';
import { cutText, groupDigits, normaliseForm, stripControls, tidyPlain } from './plain-text';

/**
 * The deterministic first half of sanitise: untrusted email in, clean text out. Every field a
 * person or a later stage reads goes through the same steps, in this order: invisible characters
 * out (and reported), control characters and binary junk out, NFKC. Never throws on an email
 * that passed EmailInputSchema; anything odd becomes a notice instead.
 */

export const CLEAN_LIMITS = {
  recipientsKept: 50,
  subjectChars: 2_000,
  nameChars: 300,
  attachmentNameChars: 500,
  contentTypeChars: 200,
  notices: 20,
  noticeChars: 300,
  /** Removed control/junk characters worth telling a person about. */
  junkNoticeAt: 16,
} as const;

export const NOTICES = {
  empty: 'The email has no text to triage.',
  subjectOnly: 'The email body has no readable text; only the subject was read.',
  cut: (kept: number, notRead: number) => `The email is longer than ${groupDigits(kept)} characters: the text was cut and ${groupDigits(notRead)} more characters were not read.`,
  junk: (n: number) => `${groupDigits(n)} control or binary characters were removed from the email.`,
  recipients: (field: 'To' | 'Cc', n: number, kept: number) => `${groupDigits(n)} recipients in ${field}; first ${kept} kept.`,
  links: (omitted: number) => `${groupDigits(omitted)} more links were not listed (at most ${LINK_LIMITS.count}).`,
} as const;

/** The clean email plus what must never be handed on as content but is needed to detect signals. */
export interface PreparedEmail {
  clean: CleanEmail;
  /** Text a reader would not have seen (hidden HTML, comments, tag characters), cleaned like the rest. */
  hidden: string[];
}

export function cleanEmail(email: EmailInput): CleanEmail {
  return prepareEmail(email).clean;
}

export function prepareEmail(email: EmailInput): PreparedEmail {
  const signals: Signal[] = [];
  const hidden: string[] = [];
  let junk = 0;

  /** The one pipeline every untrusted string goes through. */
  const cleanField = (raw: string, where: Signal['where'] | null): string => {
    const inv = stripInvisible(raw, where ?? 'body');
    if (where && inv.signal) signals.push(inv.signal);
    for (const t of inv.tagText) hidden.push(t);
    const controls = stripControls(inv.text);
    junk += controls.removed;
    return normaliseForm(controls.text);
  };

  const body = readBody(email);
  const subject = truncate(collapse(cleanField(email.subject, 'subject')), CLEAN_LIMITS.subjectChars);
  // Bound the work before NFKC (which may lengthen text): twice the limit is plenty to fill it.
  const preCut = body.text.length > TRIAGE_LIMITS.sanitisedChars * 2 ? safeSlice(body.text, TRIAGE_LIMITS.sanitisedChars * 2) : body.text;
  const normalised = tidyPlain(cleanField(preCut, 'body'));
  const { text, notRead } = cutText(normalised, TRIAGE_LIMITS.sanitisedChars, body.text.length - preCut.length);
  for (const h of body.hidden) {
    const chunk = collapse(cleanField(h, 'hidden'));
    if (chunk) hidden.push(truncate(chunk, HTML_LIMITS.hiddenChunkChars));
  }

  const htmlLinks = body.links.map((l) => ({ ...l, text: truncate(collapse(cleanField(l.text, 'link')), LINK_LIMITS.textChars) }));
  const merged = mergeLinks([htmlLinks, linksInText(text)], LINK_LIMITS.count);

  const notices: string[] = [];
  if (!subject && !text) notices.push(NOTICES.empty);
  else if (!text) notices.push(NOTICES.subjectOnly);
  if (notRead > 0) notices.push(NOTICES.cut(TRIAGE_LIMITS.sanitisedChars, notRead));
  const to = capRecipients(email.to, 'To', notices, cleanField);
  const cc = capRecipients(email.cc ?? [], 'Cc', notices, cleanField);
  const omittedLinks = merged.omitted + body.linksOmitted;
  if (omittedLinks > 0) notices.push(NOTICES.links(omittedLinks));

  const attachments = (email.attachments ?? []).slice(0, TRIAGE_LIMITS.attachments).map((a) => ({
    name: truncate(collapse(cleanField(a.name, 'attachment')).replace(/^.*[\\/]/, ''), CLEAN_LIMITS.attachmentNameChars),
    contentType: truncate(collapse(cleanField(a.contentType, null)), CLEAN_LIMITS.contentTypeChars),
    size: a.size,
  }));
  const fromName = email.from.name === undefined ? undefined : truncate(collapse(cleanField(email.from.name, null)), CLEAN_LIMITS.nameChars);
  if (junk >= CLEAN_LIMITS.junkNoticeAt) notices.push(NOTICES.junk(junk));

  return {
    clean: {
      subject,
      from: fromName === undefined ? { address: email.from.address } : { name: fromName, address: email.from.address },
      to,
      cc,
      receivedAt: email.receivedAt,
      text,
      links: merged.links,
      attachments,
      signals: mergeInvisibleSignals(signals),
      notices: notices.slice(0, CLEAN_LIMITS.notices).map((n) => truncate(n, CLEAN_LIMITS.noticeChars)),
    },
    hidden: hidden.slice(0, HTML_LIMITS.hiddenChunks),
  };
}

interface Body {
  text: string;
  hidden: string[];
  links: EmailLink[];
  linksOmitted: number;
}

/** HTML when there is any (it is what the reader saw), else the plain-text part. */
function readBody(email: EmailInput): Body {
  if (email.bodyHtml !== undefined && email.bodyHtml.trim() !== '') return htmlToText(email.bodyHtml);
  return { text: email.bodyText ?? '', hidden: [], links: [], linksOmitted: 0 };
}

type Recipient = EmailInput['to'][number];

/** Counting 10,000 recipients is useful; copying them is not. */
function capRecipients(list: readonly Recipient[], field: 'To' | 'Cc', notices: string[], cleanField: (s: string, where: null) => string): Recipient[] {
  if (list.length > CLEAN_LIMITS.recipientsKept) notices.push(NOTICES.recipients(field, list.length, CLEAN_LIMITS.recipientsKept));
  return list.slice(0, CLEAN_LIMITS.recipientsKept).map((r) => {
    if (r.name === undefined) return { address: r.address };
    return { name: truncate(collapse(cleanField(r.name, null)), CLEAN_LIMITS.nameChars), address: r.address };
  });
}

/** Many links may each hide a character; one signal per place is enough to read. */
function mergeInvisibleSignals(signals: readonly Signal[]): Signal[] {
  const byWhere = new Map<Signal['where'], Signal>();
  for (const s of signals) if (!byWhere.has(s.where)) byWhere.set(s.where, s);
  return [...byWhere.values()];
}

function safeSlice(s: string, end: number): string {
  return s.slice(0, /[\uD800-\uDBFF]/.test(s[end - 1] ?? '') ? end - 1 : end);
}
