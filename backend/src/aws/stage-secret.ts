import { secretCache, type SecretCache } from './secrets';

/**
 * The model key for a triage stage: from its secret ({"apiKey": "…"}) when the stack gives one;
 * none (the offline classifier runs) when the secret is unset or still the generated placeholder.
 */
export async function modelKey(cache: SecretCache = secretCache(), secretId = process.env.PM_AGENT_ANTHROPIC_SECRET_ARN): Promise<string | undefined> {
  if (!secretId) return undefined;
  const value = await cache.get(secretId);
  return value.apiKey || undefined;
}
