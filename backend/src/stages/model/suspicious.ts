import type { SanitisedEmail, SignalKind } from '@pm-agent/shared';

/**
 * Signal kinds that mean the email tried to steer the agent, hide content or get data out. Any of
 * them makes the email `suspicious` with no actions, whichever classifier runs. Kinds left out
 * (authority_claim, invisible_characters, deceptive_link, destructive_request, markdown_image,
 * sensitive_data) are shown to people and lift every suggestion to "needs approval" in the
 * pipeline, but do not by themselves void the triage: ordinary mail has them too ("please delete
 * the old draft", a newsletter's tracking pixel), and a person reading it is not an attacker.
 */
export const SUSPICIOUS_SIGNAL_KINDS: ReadonlySet<SignalKind> = new Set<SignalKind>([
  'instruction_override',
  'autonomy_or_settings',
  'exfiltration',
  'agent_addressed',
  'hidden_text',
  'encoded_content',
  'lookalike_domain',
]);

export function suspiciousKinds(email: Pick<SanitisedEmail, 'signals'>): SignalKind[] {
  return [...new Set(email.signals.map((s) => s.kind).filter((k) => SUSPICIOUS_SIGNAL_KINDS.has(k)))];
}
