import { ACTION_CATALOGUE, isNeverDo, type ActionType, type Classification, type SanitisedEmail } from '@pm-agent/shared';
import { MAX_PROPOSED_ACTIONS } from '../model/prompts';
import { safeDetail } from '../model/redact';
import { projectKeyOf, type ClassifyCtx } from './context';
import { factsComment } from './facts-comment';
import { isInternalSender } from './sender';
import { suspiciousKinds } from '../model/suspicious';

/**
 * The last word on what classify hands on, whichever classifier ran. A proposal survives only if
 * it is not a never-do action, its payload passes the catalogue, it targets only what the email
 * itself references (its issue keys, its sender), and the email shows no sign of manipulation.
 * Dropped proposals are reported, not hidden: a model proposing delete_data is news for a person.
 * The runner screens again (defence in depth); this layer is where the reasons are known.
 * A comment on an issue whose date moves is replaced by the facts-only comment (facts-comment.ts).
 */
export const DROP_REASONS = {
  never_do: 'a never-do action, which the agent must not propose',
  invalid_payload: 'its payload does not pass the catalogue schema',
  suspicious_email: 'the email shows signs of manipulation, so no actions are proposed for it',
  unreferenced_issue: 'it names a Jira issue the email does not reference',
  unexpected_project: 'it creates a ticket outside the default project and the projects the email references',
  unexpected_recipient: 'it mails someone other than the sender (or, for internal mail, outside our domains)',
  over_limit: `more than ${MAX_PROPOSED_ACTIONS} actions were proposed`,
} as const;
export type DropReason = keyof typeof DROP_REASONS;

export interface DroppedAction {
  actionType: ActionType;
  reason: DropReason;
  detail: string;
}

export interface ScreenedClassification {
  classification: Classification;
  dropped: DroppedAction[];
}

interface Scope {
  email: SanitisedEmail;
  ctx: ClassifyCtx;
}

type Payload = Record<string, unknown>;
type TargetRule = (p: Payload, s: Scope) => DropReason | null;

const referenced = (key: unknown, s: Scope): boolean => typeof key === 'string' && s.email.facts.issueKeys.includes(key);
const recipients = (p: Payload): string[] => (Array.isArray(p['to']) ? p['to'].filter((t): t is string => typeof t === 'string') : []);
const isSender = (to: string, s: Scope): boolean => to.toLowerCase() === s.email.from.address.toLowerCase();

const REPLIES: ReadonlySet<ActionType> = new Set(['email_external', 'email_stakeholder']);

/** Who or what each action type may touch, given what the email references; `null`: nothing to check. Every type has a row. */
const TARGET_RULES: Record<ActionType, TargetRule | null> = {
  jira_comment: (p, s) => (referenced(p['issueKey'], s) ? null : 'unreferenced_issue'),
  jira_status_change: (p, s) => (referenced(p['issueKey'], s) ? null : 'unreferenced_issue'),
  scope_change: (p, s) => (p['issueKey'] === undefined || referenced(p['issueKey'], s) ? null : 'unreferenced_issue'),
  jira_create_ticket: (p, s) => {
    const allowed = new Set([projectKeyOf(s.ctx), ...s.email.facts.issueKeys.map((k) => k.slice(0, k.lastIndexOf('-')))]);
    return typeof p['projectKey'] === 'string' && allowed.has(p['projectKey']) ? null : 'unexpected_project';
  },
  email_external: (p, s) => (recipients(p).every((to) => isSender(to, s)) ? null : 'unexpected_recipient'),
  email_stakeholder: (p, s) => (recipients(p).every((to) => isSender(to, s) || isInternalSender(to, s.ctx.internalDomains)) ? null : 'unexpected_recipient'),
  artefact_update: null,
  heartbeat_log: null,
  notification_internal: null,
  milestone_change: null,
  // Never-do types are dropped before any target rule runs.
  delete_data: null,
  share_confidential: null,
  modify_integration_config: null,
  change_own_autonomy_level: null,
};

export function screenClassification(c: Classification, email: SanitisedEmail, ctx: ClassifyCtx): ScreenedClassification {
  const scope: Scope = { email, ctx };
  const suspicious = suspiciousKinds(email);
  const kept: Classification['actions'] = [];
  const dropped: DroppedAction[] = [];
  const drop = (actionType: ActionType, reason: DropReason, extra = ''): void => {
    dropped.push({ actionType, reason, detail: safeDetail(`${actionType} dropped: ${DROP_REASONS[reason]}${extra}`, []) });
  };

  for (const action of c.actions) {
    if (isNeverDo(action.actionType)) {
      drop(action.actionType, 'never_do');
      continue;
    }
    if (suspicious.length) {
      drop(action.actionType, 'suspicious_email', ` (${suspicious.join(', ')})`);
      continue;
    }
    const payload = ACTION_CATALOGUE[action.actionType].payload.safeParse(action.payload);
    if (!payload.success) {
      const i = payload.error.issues[0];
      drop(action.actionType, 'invalid_payload', i ? ` (${i.path.join('.') || 'payload'}: ${i.message})` : '');
      continue;
    }
    // No reply draft to the sender of an email with any sign of manipulation or phishing: policy,
    // not a proposal gone wrong, so it is left out quietly (the email's own signals say why).
    if (email.signals.length && REPLIES.has(action.actionType) && recipients(payload.data as Payload).some((to) => isSender(to, scope))) continue;
    const target = TARGET_RULES[action.actionType]?.(payload.data as Payload, scope) ?? null;
    if (target) {
      drop(action.actionType, target);
      continue;
    }
    if (kept.length >= MAX_PROPOSED_ACTIONS) {
      drop(action.actionType, 'over_limit');
      continue;
    }
    kept.push({ ...action, payload: payload.data as Payload });
  }

  const category = suspicious.length ? 'suspicious' : c.category;
  // Same rule for both classifiers: a comment the facts can say alone is said from the facts alone.
  const actions = kept.map((a) => (a.actionType === 'jira_comment' ? (factsComment(email, category, String(a.payload['issueKey'])) ?? a) : a));
  return { classification: { ...c, category, actions }, dropped };
}
