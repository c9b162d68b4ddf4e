import { truncate, type EmailLink, type Signal, type SignalKind } from '@pm-agent/shared';
import { DECODED_KINDS, PHRASE_DETECTORS, type PhraseDetector } from './patterns';
import { ENCODINGS, readable, rot13 } from './encoded';
import { collapse, excerpt, EXCERPT_CHARS } from './excerpt';
import { stripInvisible } from './invisible';

/**
 * Signs that an email tries to instruct the agent, hide text or leak data. Detectors are tables
 * (phrases in patterns.ts, encodings in encoded.ts, link checks below); each signal carries the
 * exact words that triggered it with a little context, so a person sees why.
 */

export interface SignalParts {
  subject: string;
  text: string;
  hidden: readonly string[];
  links: readonly EmailLink[];
  attachments: ReadonlyArray<{ name: string }>;
  /** The sender's address and the recipients' (To and Cc): whose domains a lookalike would imitate. */
  sender?: string;
  recipients?: readonly string[];
}

/** How much a kind says on its own. High: an email has no innocent reason to contain it. */
export const SEVERITY: Record<SignalKind, 'high' | 'medium'> = {
  instruction_override: 'high',
  autonomy_or_settings: 'high',
  exfiltration: 'high',
  agent_addressed: 'high',
  hidden_text: 'high',
  lookalike_domain: 'high',
  authority_claim: 'medium',
  destructive_request: 'medium',
  encoded_content: 'medium',
  deceptive_link: 'medium',
  markdown_image: 'medium',
  invisible_characters: 'medium',
  sensitive_data: 'medium',
};
export const HIGH_SEVERITY_KINDS = (Object.keys(SEVERITY) as SignalKind[]).filter((k) => SEVERITY[k] === 'high');

export const SIGNAL_LIMITS = {
  total: 100,
  perKindAndPlace: 5,
  perDetectorAndField: 3,
  blobsPerField: 20,
  blobChars: 20_000,
} as const;

export function detectSignals(parts: SignalParts): Signal[] {
  const out = new SignalList();
  const fields = fieldsOf(parts);
  for (const f of fields) {
    const inv = stripInvisible(f.text, f.where).signal;
    if (inv) out.add(inv, `inv|${f.where}`);
  }
  for (const f of fields) phraseSignals(f, PHRASE_DETECTORS, out);
  for (const f of fields) encodedSignals(f, out);
  for (const h of parts.hidden) hiddenSignal(h, out);
  for (const l of parts.links) linkSignals(l, out);
  lookalikeSignals(parts, out);
  return out.list();
}

/**
 * Whether a piece of text (one sentence) would raise a phrase or encoding signal, leaving out the
 * deliberately mild rows: used to keep injected sentences out of facts.
 */
export function raisesSignal(text: string): boolean {
  const out = new SignalList();
  const f: Field = { where: 'body', text, scan: foldLookalikes(text) };
  phraseSignals(f, STRONG_DETECTORS, out);
  if (out.size === 0) encodedSignals(f, out);
  return out.size > 0;
}
const STRONG_DETECTORS = PHRASE_DETECTORS.filter((d) => !d.mild);

/** Merges signal lists (e.g. from cleaning and from detection): duplicates dropped, capped, strongest first. */
export function mergeSignals(...lists: ReadonlyArray<readonly Signal[]>): Signal[] {
  const out = new SignalList();
  for (const list of lists) for (const s of list) out.add(s, `${s.kind}|${s.where}|${s.text}`);
  return out.list();
}

// ---- fields ---------------------------------------------------------------------------------------

interface Field {
  where: Signal['where'];
  /** The text as cleaned (what excerpts are cut from). */
  text: string;
  /** The same text, same length, with lookalike letters folded: what patterns run on. */
  scan: string;
}

/** Subject and link texts first: when the same words appear there and in the body, the more specific place is reported. */
function fieldsOf(parts: SignalParts): Field[] {
  const field = (where: Signal['where'], text: string, scan = foldLookalikes(text)): Field => ({ where, text, scan });
  return [
    field('subject', parts.subject),
    ...parts.links.filter((l) => !isImageText(l.text) && l.text.trim() !== '').map((l) => field('link', l.text)),
    // "ignore_previous_instructions.pdf": separators read as spaces.
    ...parts.attachments.map((a) => field('attachment', a.name, foldLookalikes(a.name).replace(/[_.+]/g, ' '))),
    field('body', parts.text),
    ...parts.hidden.map((h) => field('hidden', h)),
  ].filter((f) => f.text.trim() !== '');
}

/** Cyrillic and Greek letters that look Latin. One UTF-16 unit each way, so match positions stay valid. */
const LOOKALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', һ: 'h',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S',
  α: 'a', ο: 'o', ι: 'i', κ: 'k', ν: 'v', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ε: 'e',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ı: 'i',
};
const LOOKALIKE_CHARS = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

export function foldLookalikes(s: string): string {
  return s.replace(LOOKALIKE_CHARS, (c) => LOOKALIKES[c] ?? c);
}

// ---- phrases --------------------------------------------------------------------------------------

const DESTINATION = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?:\/\/|\bwebhook\b|\bpastebin\b|\bto\s+(?:this|the\s+following|my|an?)\s+(?:external|personal|private|outside|new|gmail|other)\b/i;

/** Two hits of one kind this close together are one finding, shown as one excerpt. */
const MERGE_GAP = 60;
const MERGED_SPAN_MAX = EXCERPT_CHARS - 20;

function phraseSignals(f: Field, detectors: readonly PhraseDetector[], out: SignalList, decodedFrom?: string): number {
  const hits: Array<{ kind: SignalKind; start: number; end: number; row: number }> = [];
  for (const [row, d] of detectors.entries()) {
    let perDetector = 0;
    for (const m of f.scan.matchAll(d.pattern)) {
      if (perDetector >= SIGNAL_LIMITS.perDetectorAndField) break;
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) continue;
      if (d.needsDestination && !DESTINATION.test(f.scan.slice(end, end + 160))) continue;
      if (hits.some((t) => t.kind === d.kind && start < t.end && end > t.start)) continue; // an earlier (stronger) row has these words
      hits.push({ kind: d.kind, start, end, row });
      perDetector++;
    }
  }
  for (const h of mergeNearby(hits)) {
    const d = detectors[h.row] as PhraseDetector;
    const shown = excerpt(f.text, h.start, h.end);
    out.add(
      {
        kind: h.kind,
        where: f.where,
        text: decodedFrom ? truncate(`${decodedFrom} decodes to: ${shown}`, 500) : shown,
        explanation: decodedFrom ? truncate(`${d.explanation} (Found in encoded text.)`, 300) : d.explanation,
      },
      `${h.kind}|${collapse(f.text.slice(h.start, h.end)).toLowerCase()}`,
    );
  }
  return hits.length;
}

/** Same-kind hits within MERGE_GAP of each other become one span; the earliest table row explains it. */
function mergeNearby<T extends { kind: SignalKind; start: number; end: number; row: number }>(hits: readonly T[]): T[] {
  const sorted = [...hits].sort((a, b) => (a.kind === b.kind ? a.start - b.start : a.kind < b.kind ? -1 : 1));
  const merged: T[] = [];
  for (const h of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.kind === h.kind && h.start - last.end <= MERGE_GAP && Math.max(h.end, last.end) - last.start <= MERGED_SPAN_MAX) {
      merged[merged.length - 1] = { ...last, end: Math.max(h.end, last.end), row: Math.min(h.row, last.row) };
    } else merged.push(h);
  }
  return merged.sort((a, b) => a.row - b.row || a.start - b.start);
}

// ---- encoded content ------------------------------------------------------------------------------

const ENCODED_DETECTORS = PHRASE_DETECTORS.filter((d) => DECODED_KINDS.has(d.kind) && !d.mild);
/** Without a full phrase, two of these in decoded text still say "an instruction was encoded here". */
const INSTRUCTION_WORDS = /\b(?:ignore|disregard|instructions?|system\s+prompt|assistant|forward|delete|wipe|approve|approver|autonomy|passwords?|credentials?|api\s*keys?|exfiltrat\w*|execute|override|jailbreak)\b/gi;
const ENCODED_EXPLANATION = (name: string): string =>
  `Text encoded as ${name} that decodes to readable instructions. Ordinary mail has no reason to encode words; this is a way to slip instructions past people and filters.`;

function encodedSignals(f: Field, out: SignalList): void {
  for (const enc of ENCODINGS) {
    let blobs = 0;
    for (const m of f.text.matchAll(enc.pattern)) {
      if (++blobs > SIGNAL_LIMITS.blobsPerField) break;
      if (m[0].length > SIGNAL_LIMITS.blobChars) continue;
      const decoded = enc.decode(m[0]);
      if (decoded === undefined || decoded === m[0] || !readable(decoded)) continue;
      const inner: Field = { where: f.where, text: decoded, scan: foldLookalikes(decoded) };
      const phrases = phraseSignals(inner, ENCODED_DETECTORS, out, enc.name);
      if (phrases === 0 && new Set(decoded.toLowerCase().match(INSTRUCTION_WORDS) ?? []).size < 2) continue;
      const blob = excerpt(f.text, m.index, m.index + m[0].length, 120);
      out.add(
        { kind: 'encoded_content', where: f.where, text: truncate(`${blob} → ${enc.name}: "${truncate(collapse(decoded), EXCERPT_CHARS)}"`, 500), explanation: ENCODED_EXPLANATION(enc.name) },
        `encoded|${m[0]}`,
      );
    }
  }
  for (const t of WHOLE_FIELD_TRANSFORMS) transformedSignals(f, t, out);
}

/**
 * Encodings with no telltale blob shape (ROT13, reversed text, leetspeak, spaced-out letters):
 * transform the whole field and look for instruction phrases that the plain text does not have.
 */
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };
type Span = { start: number; end: number };
const same = (s: Span): Span => s;
/** `original` maps a span of the transformed text back to the email's own words, when positions allow it. */
const WHOLE_FIELD_TRANSFORMS: ReadonlyArray<{ name: string; apply: (text: string) => string; original?: (s: Span, length: number) => Span }> = [
  { name: 'ROT13', apply: rot13, original: same },
  { name: 'reversed text', apply: (text) => text.split('').reverse().join(''), original: (s, n) => ({ start: n - s.end, end: n - s.start }) },
  // Only inside words that mix letters and digits, so dates and amounts stay as they are.
  { name: 'leetspeak', apply: (text) => text.replace(/\b(?=[\w@$!]*[a-z])(?=[\w@$!]*[0-9@$!])[\w@$!]{3,}\b/gi, (w) => w.replace(/[013457@$!]/g, (c) => LEET[c] ?? c)), original: same },
  // "i g n o r e   p r e v i o u s": single letters joined, wider gaps become word breaks.
  { name: 'spaced-out letters', apply: (text) => text.replace(/(?:\b\S {1,3}){4,}\S\b/g, (run) => run.replace(/ {2,}/g, '\u0000').replace(/ /g, '').replace(/\u0000/g, ' ')) },
];

function transformedSignals(f: Field, t: (typeof WHOLE_FIELD_TRANSFORMS)[number], out: SignalList): void {
  const transformed = t.apply(f.text);
  if (transformed === f.text) return;
  const scan = foldLookalikes(transformed);
  for (const d of ENCODED_DETECTORS) {
    if (new RegExp(d.pattern.source, d.pattern.flags).test(f.scan)) continue; // the plain text says it already
    for (const m of scan.matchAll(d.pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) continue;
      const decoded = truncate(collapse(transformed.slice(start, end)), EXCERPT_CHARS);
      const o = t.original?.({ start, end }, transformed.length);
      const shown = o ? `${excerpt(f.text, o.start, o.end, 160)} → ${t.name}` : t.name;
      out.add(
        { kind: 'encoded_content', where: f.where, text: truncate(`${shown}: "${decoded}"`, 500), explanation: ENCODED_EXPLANATION(t.name) },
        `encoded|${t.name}|${decoded.toLowerCase()}`,
      );
      out.add(
        { kind: d.kind, where: f.where, text: truncate(`${t.name} decodes to: ${decoded}`, 500), explanation: truncate(`${d.explanation} (Found in encoded text.)`, 300) },
        `${d.kind}|${decoded.toLowerCase()}`,
      );
      return;
    }
  }
}

// ---- hidden text ----------------------------------------------------------------------------------

function hiddenSignal(chunk: string, out: SignalList): void {
  if (!/\p{L}{2,}/u.test(chunk)) return;
  out.add(
    {
      kind: 'hidden_text',
      where: 'hidden',
      text: truncate(collapse(chunk), EXCERPT_CHARS),
      explanation:
        'Text hidden from the reader (CSS, an HTML comment, a tiny or same-colour font, or invisible characters). It was set aside and not passed on; hiding instructions is a common injection technique.',
    },
    `hidden|${collapse(chunk).toLowerCase()}`,
  );
}

// ---- links ----------------------------------------------------------------------------------------

/** "report.pdf" in a link's text names a file, not a host. */
const FILE_EXTENSIONS = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv', 'zip', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'html', 'htm', 'exe', 'js', 'ts', 'json', 'xml', 'md', 'msg', 'eml', 'ics', 'mp4', 'mov', 'py', 'sh', 'yaml', 'yml', 'log']);
const HOST_IN_TEXT = /(?:^|[\s(<"'[:])(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?=$|[/:\s?#)>"',;!\]])/gi;
const EMAIL_IN_TEXT = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const SCRIPT_SCHEMES = /^(?:javascript|vbscript|data|file):/i;

/** Link checks as a table: each returns a line for a person, or nothing. */
const LINK_CHECKS: ReadonlyArray<{ kind: SignalKind; check: (l: EmailLink) => { text: string; explanation: string } | undefined }> = [
  {
    kind: 'deceptive_link',
    check: (l) => {
      if (isImageText(l.text)) return undefined;
      if (/^mailto:/i.test(l.href)) {
        const shown = EMAIL_IN_TEXT.exec(l.text)?.[0]?.toLowerCase();
        const target = decodeSafe(l.href.slice(7).split('?')[0] ?? '').toLowerCase();
        return shown && target && shown !== target
          ? { text: `Shows ${shown}, but writes to ${target}`, explanation: 'The link text shows one email address but the link writes to another.' }
          : undefined;
      }
      const shown = shownHost(l.text);
      if (!shown || !l.host || sameSite(shown, l.host)) return undefined;
      const lookalike = hostOnly(l.host).startsWith(`${hostOnly(shown)}.`) || hostOnly(l.host).includes(hostOnly(shown).replace(/\.[a-z]+$/, ''));
      return {
        text: truncate(`Shows ${shown}, but goes to ${l.host} (${l.href})`, 500),
        explanation: lookalike
          ? `The link text shows ${shown} but the link goes to ${l.host}, a different host made to look like it. A classic phishing trick.`.slice(0, 300)
          : `The link text shows ${shown} but the link goes to ${l.host}. Mailing tools do this for click tracking; check the host before following it.`.slice(0, 300),
      };
    },
  },
  {
    kind: 'deceptive_link',
    check: (l) => {
      const url = parseUrl(l.href);
      if (!url || !url.username) return undefined;
      return {
        text: truncate(`${l.text} → ${l.href}`, 500),
        explanation: `The address puts "${truncate(decodeSafe(url.username), 80)}" before an @, so it looks like that host but really goes to ${url.hostname}.`.slice(0, 300),
      };
    },
  },
  {
    kind: 'deceptive_link',
    check: (l) =>
      l.host.split('.').some((label) => label.startsWith('xn--'))
        ? { text: truncate(`${l.text} → ${l.host}`, 500), explanation: 'The link goes to an internationalised host name (xn--…), which can imitate a familiar name letter for letter.' }
        : undefined,
  },
  {
    kind: 'deceptive_link',
    check: (l) =>
      !isImageText(l.text) && SCRIPT_SCHEMES.test(l.href)
        ? { text: truncate(`${l.text} → ${l.href}`, 500), explanation: 'The link runs script or opens embedded content instead of a web page.' }
        : undefined,
  },
  {
    kind: 'markdown_image',
    check: (l) => {
      if (!isImageText(l.text)) return undefined;
      const url = parseUrl(l.href);
      if (!url || url.search.length <= 1) return undefined;
      return {
        text: truncate(`${l.text} → ${l.href}`, 500),
        explanation: `An image that would load ${url.hostname} with data in its address: a tracking beacon or a way to leak data. Images are never loaded here.`.slice(0, 300),
      };
    },
  },
];

function linkSignals(l: EmailLink, out: SignalList): void {
  for (const { kind, check } of LINK_CHECKS) {
    const found = check(l);
    if (found) out.add({ kind, where: 'link', ...found }, `${kind}|${l.href}|${l.text}`);
  }
}

// ---- lookalike domains ----------------------------------------------------------------------------

/** Characters and pairs that pass for letters in a domain name: examp1e, rnicrosoft, vvidget. */
const DOMAIN_DISGUISES: ReadonlyArray<readonly [RegExp, string]> = [
  [/0/g, 'o'],
  [/1/g, 'l'],
  [/3/g, 'e'],
  [/5/g, 's'],
  [/rn/g, 'm'],
  [/vv/g, 'w'],
];
/** Second-level labels under which names are registered per country (example.co.uk). */
const PUBLIC_SECOND_LEVELS = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ltd', 'plc']);

/** The label an organisation registers: "example" in mail.example.com and in example.co.uk. */
function orgLabel(host: string): string {
  const labels = hostOnly(host).split('.').filter(Boolean);
  if (labels.length < 2) return labels[0] ?? '';
  const second = labels.length - 2;
  return labels.length >= 3 && PUBLIC_SECOND_LEVELS.has(labels[second]!) && labels.at(-1)!.length === 2 ? labels[second - 1]! : labels[second]!;
}

/**
 * Whether `host` is `own` disguised: its organisation label is not `own`'s, but reads as it (or as it
 * with a word hyphened on, examp1e-hr) once digits and letter pairs that pass for letters are read
 * as those letters. A plain other name (example-events) is not flagged: the organisation may own it.
 */
export function imitates(host: string, own: string): boolean {
  const label = orgLabel(host);
  const target = orgLabel(own);
  if (target.length < 4 || !label || label === target || sameSite(host, own)) return false;
  const read = DOMAIN_DISGUISES.reduce((s, [from, to]) => s.replace(from, to), label);
  if (read === label) return false;
  return read === target || read.startsWith(`${target}-`) || read.endsWith(`-${target}`);
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** The sender's domain against the recipients'; each link's host against the recipients' and the sender's. */
function lookalikeSignals(parts: SignalParts, out: SignalList): void {
  const recipients = [...new Set((parts.recipients ?? []).filter((a) => a.includes('@')).map(domainOf))];
  const sender = parts.sender?.includes('@') ? domainOf(parts.sender) : undefined;
  const mimicked = (host: string, owners: readonly string[]) => owners.find((own) => imitates(host, own));
  const asSender = sender && mimicked(sender, recipients);
  if (sender && asSender) {
    out.add(
      { kind: 'lookalike_domain', where: 'sender', text: truncate(parts.sender!, 500), explanation: `The sender's domain ${sender} is made to look like ${asSender}, a recipient's own, but is not it.`.slice(0, 300) },
      `lookalike|sender|${sender}`,
    );
  }
  for (const l of parts.links) {
    if (!l.host) continue;
    const own = mimicked(l.host, sender ? [...recipients, sender] : recipients);
    if (own) {
      out.add(
        { kind: 'lookalike_domain', where: 'link', text: truncate(`${l.text} → ${l.host}`, 500), explanation: `The link goes to ${hostOnly(l.host)}, made to look like ${own} but not it.`.slice(0, 300) },
        `lookalike|link|${l.host}`,
      );
    }
  }
}

function shownHost(text: string): string | undefined {
  for (const m of text.matchAll(HOST_IN_TEXT)) {
    const host = (m[1] ?? '').toLowerCase();
    if (host && !FILE_EXTENSIONS.has(host.slice(host.lastIndexOf('.') + 1))) return host;
  }
  return undefined;
}

const hostOnly = (h: string): string => h.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');

/** Same host, or one a subdomain of the other (example.com and mail.example.com). */
function sameSite(a: string, b: string): boolean {
  const x = hostOnly(a);
  const y = hostOnly(b);
  return x === y || y.endsWith(`.${x}`) || x.endsWith(`.${y}`);
}

function isImageText(text: string): boolean {
  return text.startsWith('[image') || text === '[tracking image]';
}

function parseUrl(href: string): URL | undefined {
  try {
    return new URL(href);
  } catch {
    return undefined;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---- the list -------------------------------------------------------------------------------------

/** Deduplicated by key, at most a few per kind and place, at most SIGNAL_LIMITS.total, high severity kept first. */
class SignalList {
  private readonly keys = new Set<string>();
  private readonly perPlace = new Map<string, number>();
  private readonly items: Signal[] = [];

  add(s: Signal, key: string): void {
    if (this.keys.has(key)) return;
    const place = `${s.kind}|${s.where}`;
    const n = this.perPlace.get(place) ?? 0;
    if (n >= SIGNAL_LIMITS.perKindAndPlace) return;
    this.keys.add(key);
    this.perPlace.set(place, n + 1);
    this.items.push(s);
  }

  get size(): number {
    return this.items.length;
  }

  list(): Signal[] {
    const rank = (s: Signal): number => (SEVERITY[s.kind] === 'high' ? 0 : 1);
    return [...this.items].sort((a, b) => rank(a) - rank(b)).slice(0, SIGNAL_LIMITS.total);
  }
}
