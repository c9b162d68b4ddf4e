import { truncate, type Facts } from '@pm-agent/shared';

/**
 * Dates mentioned in text. A `date` (YYYY-MM-DD) is given only when it is unambiguous: written
 * with a month name or in ISO form. A missing year comes from a nearby date that has one ("27
 * November to 4 December 2026"), else from the year the email was received. "04/12/2026" (April
 * or December?) and "next Friday" are kept as text only.
 */
export type FoundDate = Facts['dates'][number];

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const WEEKDAY = String.raw`(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)`;

interface Parsed {
  year?: number;
  month?: number;
  day?: number;
}

const DATE_PATTERNS: ReadonlyArray<{ pattern: RegExp; parse: (m: RegExpMatchArray) => Parsed }> = [
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g, parse: (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }) },
  {
    pattern: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\.?(?:,?\s+(\d{4}))?\b`, 'gi'),
    parse: (m) => ({ day: Number(m[1]), month: monthOf(m[2]), year: m[3] ? Number(m[3]) : undefined }),
  },
  {
    pattern: new RegExp(String.raw`\b${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'gi'),
    parse: (m) => ({ month: monthOf(m[1]), day: Number(m[2]), year: m[3] ? Number(m[3]) : undefined }),
  },
  {
    // Day and month order is a guess unless one part is over 12.
    pattern: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/g,
    parse: (m) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const year = Number(m[3]);
      if (a > 12 && b <= 12) return { day: a, month: b, year };
      if (b > 12 && a <= 12) return { day: b, month: a, year };
      return {};
    },
  },
  {
    pattern: new RegExp(
      String.raw`\b(?:(?:next|this|last|coming)\s+(?:${WEEKDAY}|week|month|quarter|sprint|year)|tomorrow|today|tonight|end\s+of\s+(?:the\s+)?(?:day|week|month|quarter|sprint|year)|eod|eow|${WEEKDAY}(?!,?\s+(?:\d|${MONTH}))|q[1-4](?:\s+\d{4})?)\b`,
      'gi',
    ),
    parse: () => ({}),
  },
];

export function findDates(text: string, defaultYear: number, max = 20): FoundDate[] {
  const found: Array<{ start: number; end: number; text: string; parsed: Parsed }> = [];
  for (const { pattern, parse } of DATE_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue; // earlier, more exact patterns win
      found.push({ start, end, text: m[0].replace(/\.$/, ''), parsed: parse(m) });
    }
  }
  found.sort((a, b) => a.start - b.start);

  const out: FoundDate[] = [];
  const seen = new Set<string>();
  for (const [i, f] of found.entries()) {
    const { month, day } = f.parsed;
    let year = f.parsed.year;
    if (month !== undefined && day !== undefined && year === undefined) {
      const next = found[i + 1];
      year = next?.parsed.year !== undefined && next.start - f.end <= 40 ? next.parsed.year : defaultYear;
    }
    const date = year !== undefined && month !== undefined && day !== undefined ? isoDate(year, month, day) : undefined;
    const key = date ?? f.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(date ? { text: truncate(f.text, 200), date } : { text: truncate(f.text, 200) });
    if (out.length >= max) break;
  }
  return out;
}

function monthOf(name: string | undefined): number | undefined {
  return MONTHS[(name ?? '').slice(0, 3).toLowerCase()];
}

/** YYYY-MM-DD for a real calendar day, else undefined (31 February is not a date). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
