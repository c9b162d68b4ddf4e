import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PRINCIPALS, type Principal } from '@pm-agent/shared';

/**
 * The local stack's files under `.local/` (git-ignored), made on first run and kept after:
 * - credentials.json: the principals' SigV4 keys, for any SigV4 client (the only file meant to be read by people and tools)
 * - server-keys.json: the local STS seal key and the dev issuer's private key (read only by the backend)
 * - pm-agent.sqlite: the store
 */
/** Where `npm start` keeps its files: `.local/` at the repository root (git-ignored). */
export const DEFAULT_HOME = resolve(__dirname, '../../../.local');

export const LOCAL = {
  region: 'local',
  service: 'execute-api',
  outlookRoleArn: 'arn:aws:iam::000000000000:role/pm-agent-outlook',
  audience: 'api://pm-agent-backend',
} as const;

const KeyPair = z.strictObject({ accessKeyId: z.string().regex(/^AKIA[A-Z2-7]{16}$/), secretAccessKey: z.string().min(40) });
export const CredentialsFileSchema = z.strictObject({
  endpoint: z.string().url(),
  region: z.string(),
  service: z.string(),
  principals: z.strictObject({ forge: KeyPair, agent: KeyPair }),
});
export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;

const ServerKeysSchema = z.strictObject({ sessionSealKey: z.string().min(43), devIssuerPrivateKeyPem: z.string().includes('PRIVATE KEY') });
export type ServerKeys = z.infer<typeof ServerKeysSchema>;

/**
 * stage-secrets.json: what the runner hands the stages, each only its own (see stages/policies.ts).
 * The local stand-in for Secrets Manager. Put ANTHROPIC_API_KEY here (or in the environment) to
 * triage with Claude; without it the offline classifier runs.
 */
const StageSecretsSchema = z.strictObject({
  JIRA_EMAIL: z.string().min(3),
  JIRA_API_TOKEN: z.string().min(20),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
});
export type StageSecrets = z.infer<typeof StageSecretsSchema>;

export interface LocalFiles {
  stageSecrets: StageSecrets;
  home: string;
  dbFile: string;
  credentialsFile: string;
  credentials: CredentialsFile;
  serverKeys: ServerKeys;
}

/**
 * Loads the local keys, making any that are missing. credentials.json is written only once the
 * server is listening (writeCredentials), so a failed start never leaves a wrong endpoint behind.
 */
export function prepareLocalFiles(home: string): LocalFiles {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const credentialsFile = join(home, 'credentials.json');
  const keysFile = join(home, 'server-keys.json');

  const previous = readJson(credentialsFile, CredentialsFileSchema);
  const credentials: CredentialsFile = {
    endpoint: previous?.endpoint ?? 'http://127.0.0.1:8787',
    region: LOCAL.region,
    service: LOCAL.service,
    principals: previous?.principals ?? { forge: newKeyPair(), agent: newKeyPair() },
  };

  let serverKeys = readJson(keysFile, ServerKeysSchema);
  if (!serverKeys) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    serverKeys = {
      sessionSealKey: randomBytes(32).toString('base64url'),
      devIssuerPrivateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    writeSecretFile(keysFile, serverKeys);
  }
  const secretsFile = join(home, 'stage-secrets.json');
  let stageSecrets = readJson(secretsFile, StageSecretsSchema);
  if (!stageSecrets) {
    stageSecrets = { JIRA_EMAIL: 'pm-agent@example.com', JIRA_API_TOKEN: randomBytes(24).toString('base64url') };
    writeSecretFile(secretsFile, stageSecrets);
  }
  return { home, dbFile: join(home, 'pm-agent.sqlite'), credentialsFile, credentials, serverKeys, stageSecrets };
}

/** Points credentials.json at the endpoint this run listens on. */
export function writeCredentials(files: LocalFiles, endpoint: string): LocalFiles {
  const credentials = { ...files.credentials, endpoint };
  writeSecretFile(files.credentialsFile, credentials);
  return { ...files, credentials };
}

export function principalKeys(credentials: CredentialsFile): Array<{ principal: Principal; accessKeyId: string; secretAccessKey: string }> {
  return PRINCIPALS.flatMap((principal) => {
    const pair = (credentials.principals as Partial<Record<Principal, { accessKeyId: string; secretAccessKey: string }>>)[principal];
    return pair ? [{ principal, ...pair }] : [];
  });
}

function newKeyPair(): { accessKeyId: string; secretAccessKey: string } {
  const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return {
    accessKeyId: 'AKIA' + [...randomBytes(16)].map((b) => base32[b % 32]).join(''),
    secretAccessKey: randomBytes(30).toString('base64'),
  };
}

function readJson<S extends z.ZodType>(file: string, schema: S): z.infer<S> | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not in the expected shape (${parsed.error.issues[0]?.message}). Move it aside to have a new one made.`);
  return parsed.data;
}

function writeSecretFile(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}
