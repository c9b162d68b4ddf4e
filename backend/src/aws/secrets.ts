import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';

/**
 * Secrets are read at run time through the Secrets Manager API, never from environment variables,
 * and kept in memory for a few minutes so a warm function does not call Secrets Manager per event.
 * A rotated value is picked up within the cache time. Values never appear in logs or errors.
 */
const SecretJson = z.record(z.string(), z.string());
export type SecretValue = z.infer<typeof SecretJson>;

export interface SecretsPort {
  send(command: GetSecretValueCommand): Promise<{ SecretString?: string }>;
}

export class SecretCache {
  private readonly entries = new Map<string, { value: Promise<SecretValue>; at: number }>();

  constructor(
    private readonly client: SecretsPort = new SecretsManagerClient({}),
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The secret as a JSON object of strings (e.g. {"apiKey": "…"}). Concurrent reads share one call. */
  get(secretId: string): Promise<SecretValue> {
    const hit = this.entries.get(secretId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.fetch(secretId);
    this.entries.set(secretId, { value, at: this.now() });
    value.catch(() => this.entries.delete(secretId)); // a failure is not cached
    return value;
  }

  private async fetch(secretId: string): Promise<SecretValue> {
    let out: { SecretString?: string };
    try {
      out = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (e) {
      throw new Error(`Secrets Manager refused or failed to give ${secretId}: ${(e as { name?: string }).name ?? 'error'}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(out.SecretString ?? '');
    } catch {
      throw new Error(`secret ${secretId} is not JSON: put a JSON object of strings into it (see infra/README.md)`);
    }
    const value = SecretJson.safeParse(parsed);
    if (!value.success) throw new Error(`secret ${secretId} must be a JSON object of strings (see infra/README.md)`);
    return value.data;
  }
}

/** One cache per warm function; the TTL comes from the stack (PM_AGENT_SECRET_CACHE_MINUTES). */
let shared: SecretCache | undefined;
export function secretCache(): SecretCache {
  const minutes = Number(process.env.PM_AGENT_SECRET_CACHE_MINUTES ?? '5');
  shared ??= new SecretCache(new SecretsManagerClient({}), (Number.isFinite(minutes) ? minutes : 5) * 60_000);
  return shared;
}
