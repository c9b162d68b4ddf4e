import type { BackendClient } from '@pm-agent/backend-client';
import type { LocalBackend } from '@pm-agent/dev-stack';
import { outlookClient } from '@pm-agent/backend/test/support/outlook';

/**
 * A signed client as the Outlook pane has one (dev issuer token with the stack's sign-in secret,
 * local STS, Outlook role): the same path the backend's tests take.
 */
export function outlookBenchClient(backend: LocalBackend): BackendClient {
  return outlookClient(backend);
}

/** One bench caller triages many emails: the product's per-caller triage rate would refuse most of them. */
export const BENCH_TRIAGE_RATE = { PM_AGENT_TRIAGE_BURST: '1000', PM_AGENT_TRIAGE_PER_MINUTE: '10000' } as const;
