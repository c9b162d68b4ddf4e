import { prepareLocalFiles } from '@pm-agent/dev-stack';

/** Secret-shaped strings: what must never be in anything a browser downloads. */
export const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['AWS access key id', /\bAKIA[0-9A-Z]{16}\b/],
  ['AWS temporary access key id', /\bASIA[0-9A-Z]{16}\b/],
  ['AWS secret access key', /(?:aws_?secret_?access_?key|secretAccessKey|SecretAccessKey)["'`]?\s*[:=]\s*["'`][A-Za-z0-9/+=]{40}["'`]/i],
  ['Anthropic API key', /sk-ant-[A-Za-z0-9_-]{8,}/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

export interface Found {
  file: string;
  what: string;
}

/** Every pattern hit and every known secret value found, by file. */
export function findSecrets(files: Array<{ name: string; text: string }>, known: string[]): Found[] {
  const out: Found[] = [];
  for (const f of files) {
    for (const [what, pattern] of SECRET_PATTERNS) if (pattern.test(f.text)) out.push({ file: f.name, what });
    for (const value of known) if (value && f.text.includes(value)) out.push({ file: f.name, what: `a known local secret (${value.slice(0, 4)}…)` });
  }
  return out;
}

/** The secret values a local stack home holds (made on first use): principal keys, server keys, stage secrets. */
export function secretsOfLocalHome(home: string): string[] {
  const files = prepareLocalFiles(home);
  const principals = Object.values(files.credentials.principals).flatMap((p) => [p.accessKeyId, p.secretAccessKey]);
  const pem = files.serverKeys.devIssuerPrivateKeyPem.split('\n').filter((l) => l.length >= 40);
  return [...principals, files.serverKeys.sessionSealKey, ...pem, files.stageSecrets.JIRA_API_TOKEN, ...(files.stageSecrets.ANTHROPIC_API_KEY ? [files.stageSecrets.ANTHROPIC_API_KEY] : [])];
}
