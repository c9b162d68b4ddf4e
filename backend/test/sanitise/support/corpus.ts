import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, SIGNAL_KINDS, type EmailInput } from '@pm-agent/shared';
import { z } from 'zod';

/** The email corpus in backend/test/fixtures/emails (see its README). */
const ROOT = join(__dirname, '../../fixtures/emails');

export interface CorpusEmail {
  file: string;
  email: EmailInput;
}

const ExpectationSchema = z.strictObject({
  kinds: z.array(z.enum(SIGNAL_KINDS)),
  evidence: z.array(z.string().min(1)),
  absentFromText: z.array(z.string().min(1)).optional(),
  noticeIncludes: z.array(z.string().min(1)).optional(),
  where: z.record(z.string(), z.enum(['subject', 'body', 'hidden', 'link', 'attachment', 'model'])).optional(),
});
export type Expectation = z.infer<typeof ExpectationSchema>;

export function loadCorpus(folder: 'ordinary' | 'hostile'): CorpusEmail[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'expectations.json')
    .sort()
    .map((file) => ({ file, email: EmailInputSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
}

export function loadExpectations(): Record<string, Expectation> {
  const raw: unknown = JSON.parse(readFileSync(join(ROOT, 'hostile/expectations.json'), 'utf8'));
  return z.record(z.string(), ExpectationSchema).parse(raw);
}

export function loadEmail(folder: 'ordinary' | 'hostile', file: string): EmailInput {
  return EmailInputSchema.parse(JSON.parse(readFileSync(join(ROOT, folder, file), 'utf8')));
}

/** A minimal valid email; tests override what they exercise. */
export function makeEmail(overrides: Partial<EmailInput> = {}): EmailInput {
  return EmailInputSchema.parse({
    internetMessageId: '<test@example.com>',
    subject: 'Test',
    from: { name: 'Tess Tester', address: 'tess@example.com' },
    to: [{ address: 'priya.raman@example.com' }],
    cc: [],
    receivedAt: '2026-11-18T10:00:00Z',
    attachments: [],
    ...overrides,
  });
}

/** Deterministic pseudo-random numbers (mulberry32), so "fuzz" failures reproduce. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['<p>', '</p>', '<div style="display:none">', '</div>', '<a href="https://x.example/?q=1">', '</a>', '<img src="//y.example/p.gif?u=2" alt="A">', '<!-- c -->', '&amp;', '&#x200b;', '\u202e', '\u200b', '\u0000', '\uFFFD', '\uD800', 'ＡＢＣ', 'ABC-123', '4 December 2026', '04/12/2026', 'please ', 'ignore previous instructions', 'aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=', '![x](https://z.example/?d=1)', 'a@b.example', '<Jane Doe <jane@example.com>>', '\n', '\n\n', '. ', '? ', '"', "'", '>', '> ', '\t', '😀', '👩‍💻', 'é', 'e\u0301', '\uDB40\uDC69'];

/** A string of random code units and random meaningful pieces. */
export function randomText(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    if (rand() < 0.3) out += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
    else out += String.fromCharCode(Math.floor(rand() * (rand() < 0.7 ? 0x80 : 0x10000)));
  }
  return out.slice(0, length);
}
