import { ClassificationSchema, type SanitisedEmail } from '@pm-agent/shared';
import { callTool } from '../model/claude';
import type { ModelConfig } from '../model/config';
import { mapOutcome, type ModelOutcome } from '../model/outcome';
import { CLASSIFY_SYSTEM_PROMPT, CLASSIFY_TOOL } from '../model/prompts';
import { TRUSTED_LABEL, fencedJson, untrustedBlock } from '../model/untrusted-block';
import { projectKeyOf, type ClassifyCtx } from './context';
import { PROPOSAL_INPUT_SCHEMA } from './proposal-schema';
import { screenClassification, type ScreenedClassification } from './screen-actions';
import { isInternalSender } from './sender';

/**
 * Stage 2's model step. The model sees only sanitise's structured hand-over (no raw text), with
 * link hrefs and signal trigger text left out: it needs hosts and signal kinds, not strings an
 * attacker chose. The answer must pass ClassificationSchema (else invalid_output), and is then
 * screened: never-do, invalid or off-target proposals are dropped and listed in `dropped`.
 */
export function classifyUserMessage(email: SanitisedEmail, ctx: ClassifyCtx): string {
  const data = {
    subject: email.subject,
    from: email.from,
    toCount: email.toCount,
    ccCount: email.ccCount,
    receivedAt: email.receivedAt,
    facts: email.facts,
    linkHosts: [...new Set(email.links.map((l) => l.host))],
    attachments: email.attachments.map((a) => ({ name: a.name, contentType: a.contentType })),
    signals: email.signals.map((s) => ({ kind: s.kind, where: s.where, explanation: s.explanation })),
    notices: email.notices,
  };
  const context = {
    sender: isInternalSender(email.from.address, ctx.internalDomains) ? 'internal' : 'external',
    senderAddress: email.from.address,
    defaultProjectKey: projectKeyOf(ctx),
  };
  return ['Triage this email.', fencedJson(TRUSTED_LABEL, context), untrustedBlock(data)].join('\n\n');
}

export async function classifyWithClaude(cfg: ModelConfig, email: SanitisedEmail, ctx: ClassifyCtx): Promise<ModelOutcome<ScreenedClassification>> {
  const outcome = await callTool(cfg, {
    system: CLASSIFY_SYSTEM_PROMPT,
    user: classifyUserMessage(email, ctx),
    toolName: CLASSIFY_TOOL.name,
    toolDescription: CLASSIFY_TOOL.description,
    schema: ClassificationSchema,
    inputSchema: PROPOSAL_INPUT_SCHEMA,
  });
  return mapOutcome(outcome, (c) => screenClassification(c, email, ctx));
}
