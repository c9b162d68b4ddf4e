import { FactsSchema, type CleanEmail, type Facts } from '@pm-agent/shared';
import { callTool } from './claude';
import type { ModelConfig } from './config';
import type { ModelOutcome } from './outcome';
import { FACTS_SYSTEM_PROMPT, FACTS_TOOL } from './prompts';
import { untrustedBlock } from './untrusted-block';

/**
 * Stage 1's model step: facts from the clean text. Links go in as hosts only (the model needs to
 * know where they point, not a URL it could repeat), and signals as kind/where/explanation, which
 * the deterministic sanitiser wrote, without the triggering text.
 */
export function factsUserMessage(clean: CleanEmail): string {
  const data = {
    subject: clean.subject,
    from: clean.from,
    receivedAt: clean.receivedAt,
    text: clean.text,
    linkHosts: [...new Set(clean.links.map((l) => l.host))],
    attachmentCount: clean.attachments.length,
    signals: clean.signals.map((s) => ({ kind: s.kind, where: s.where, explanation: s.explanation })),
    notices: clean.notices,
  };
  return `Extract the facts from this email.\n\n${untrustedBlock(data)}`;
}

export function extractFactsWithClaude(cfg: ModelConfig, clean: CleanEmail): Promise<ModelOutcome<Facts>> {
  return callTool(cfg, {
    system: FACTS_SYSTEM_PROMPT,
    user: factsUserMessage(clean),
    toolName: FACTS_TOOL.name,
    toolDescription: FACTS_TOOL.description,
    schema: FactsSchema,
  });
}
