/**
 * Sensitive data that must never leave by itself: card numbers, IBANs, one-time codes, passwords
 * and API-key-shaped strings. Detectors are a table; each finds candidates with a pattern and may
 * confirm them with a checksum, so "order 4111 1111 1111 1112" is not a card but 4111…1111 is.
 * Findings name the kind and the field, never the value: they are shown and logged.
 */
export const SENSITIVE_KINDS = ['card_number', 'iban', 'one_time_code', 'password', 'api_key'] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

interface SensitiveDetector {
  kind: SensitiveKind;
  /** Words for an approver: "looks like {label}". */
  label: string;
  pattern: RegExp;
  /** Confirms a candidate (the whole match, or its first group when there is one). */
  confirm?: (candidate: string) => boolean;
}

/** Luhn check over the digits of a candidate (spaces and dashes ignored). */
export function luhnValid(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (!/^\d{13,19}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 is 1. */
export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const numeric = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of numeric) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}

export const SENSITIVE_DETECTORS: readonly SensitiveDetector[] = [
  { kind: 'card_number', label: 'a payment card number', pattern: /(?<![\d-])(\d(?:[ -]?\d){12,18})(?![\d-])/g, confirm: luhnValid },
  { kind: 'iban', label: 'a bank account number (IBAN)', pattern: /\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b/g, confirm: ibanValid },
  {
    kind: 'one_time_code',
    label: 'a one-time or security code',
    pattern: /\b(?:one[- ]time|verification|security|login|sign[- ]in|confirmation|auth(?:entication)?|access|2fa|mfa|otp|sms)\s*(?:code|pin|passcode|number)?\b[^\n\d]{0,24}\b\d{4,8}\b|\b(?:code|pin|passcode)\s*(?:is|:|=)\s*\d{4,8}\b/gi,
  },
  { kind: 'password', label: 'a password', pattern: /\b(?:password|passwd|pwd|passphrase|kennwort|mot de passe)\s*(?:is|was|:|=)\s*\S{4,}/gi },
  {
    kind: 'api_key',
    label: 'an API key or access token',
    pattern: new RegExp(
      [
        String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`, // AWS access key id
        String.raw`\bsk-(?:ant-|proj-|live_|test_)?[A-Za-z0-9_-]{20,}`, // Anthropic, OpenAI, Stripe
        String.raw`\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{30,}`, // GitHub
        String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`, // Slack
        String.raw`\bAIza[0-9A-Za-z_-]{35}\b`, // Google
        String.raw`\bATATT[A-Za-z0-9_=-]{20,}`, // Atlassian API token
        String.raw`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`, // JWT
        String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----`,
        String.raw`\b(?:api[_-]?key|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|client[_-]?secret)\s*[:=]\s*["']?[A-Za-z0-9_\-+/=]{16,}`,
      ].join('|'),
      'g',
    ),
  },
];

export interface SensitiveFinding {
  kind: SensitiveKind;
  /** The payload field it is in. */
  field: string;
  label: string;
}

function findIn(text: string, d: SensitiveDetector): boolean {
  for (const m of text.matchAll(new RegExp(d.pattern.source, d.pattern.flags))) {
    if (!d.confirm || d.confirm(m[1] ?? m[0])) return true;
  }
  return false;
}

/** Every kind of sensitive data in every string of the payload (arrays included), one finding per kind and field. */
export function sensitiveFindings(payload: Record<string, unknown>): SensitiveFinding[] {
  const out: SensitiveFinding[] = [];
  for (const [field, value] of Object.entries(payload)) {
    const text = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').join('\n');
    if (!text) continue;
    for (const d of SENSITIVE_DETECTORS) if (findIn(text, d)) out.push({ kind: d.kind, field, label: d.label });
  }
  return out;
}
