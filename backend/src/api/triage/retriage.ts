import { canApply, type EmailInput, type RetriageResponse, type Suggestion, type Triage } from '@pm-agent/shared';
import type { Caller } from '../../domain/caller';
import { fingerprint, replayed, runOnce, type IdempotencyScope, type Outcome } from '../../domain/idempotency';
import { problems } from '../../domain/problem';
import { isWaiting, supersede } from '../../domain/supersede';
import { revisionOf, type AuditDraft, type Check, type Store, type Write } from '../../store/store';
import { assess, hashActions, messageKeyFor, proposal, type TriageDeps } from './pipeline';

/**
 * Re-triage: the mailbox owner asks for a fresh triage of an email already triaged (after the
 * model key was configured, or after a wrong result). The same pipeline runs (sanitise → classify,
 * isolated, under the same caps); the result is added as the message's next revision (the earlier
 * ones are kept); suggestions from earlier revisions still waiting are superseded in the same
 * change set, so two sets of the same suggestions never both wait; decided ones are untouched.
 * With an Idempotency-Key, a repeat gets the first answer without a second model call.
 */
export interface RetriageRequest {
  messageKey: string;
  email: EmailInput;
  idempotencyKey: string | undefined;
}

/** Repeats with one key in this process share one run (another process meets the stored answer at commit). */
const inFlight = new Map<string, Promise<Outcome>>();

export async function retriageEmail(deps: TriageDeps, caller: Caller, mailbox: string, req: RetriageRequest): Promise<Outcome> {
  const idem: IdempotencyScope = { scope: `${caller.principal}:${caller.actor.id.toLowerCase()}:retriage`, key: req.idempotencyKey, fingerprint: fingerprint('retriage', req.messageKey) };
  const seen = await replayed(deps.store, idem);
  if (seen) return seen;
  await mustBeOwnEmail(deps.store, mailbox, req);
  const flight = req.idempotencyKey ? `${idem.scope}\n${req.idempotencyKey}` : undefined;
  const shared = flight ? inFlight.get(flight) : undefined;
  if (shared) return shared;
  const running = run(deps, caller, mailbox, req, idem);
  if (!flight) return running;
  inFlight.set(flight, running);
  return running.finally(() => inFlight.delete(flight));
}

/** Another mailbox's triage is answered like a missing one; the body must be the email the key names. */
async function mustBeOwnEmail(store: Store, mailbox: string, req: RetriageRequest): Promise<Triage> {
  const current = await store.getTriage(req.messageKey);
  if (!current || current.mailbox !== mailbox) throw problems.notFound(`No triage for ${req.messageKey} in your mailbox.`);
  if (messageKeyFor(mailbox, req.email) !== req.messageKey) {
    throw problems.unprocessable('The email sent is not the one this triage is of: a re-triage reads the same email again. Open that email and try again.');
  }
  return current;
}

async function run(deps: TriageDeps, caller: Caller, mailbox: string, req: RetriageRequest, idem: IdempotencyScope): Promise<Outcome> {
  const v = await assess(deps, req.email, req.messageKey, mailbox);
  const hashed = await hashActions(v);
  const at = deps.now().toISOString();
  return runOnce(deps.store, idem, at, async () => {
    const [history, view] = await Promise.all([deps.store.listTriageRevisions(req.messageKey), deps.store.getSettings()]);
    const current = history.at(-1);
    if (!current || current.mailbox !== mailbox) throw problems.notFound(`No triage for ${req.messageKey} in your mailbox.`);
    const revision = revisionOf(current) + 1;
    const { triage: fresh, suggestions, made } = proposal(v, hashed, view.settings, at, revision);
    // A cap is temporary: the result is answered but not kept, and the earlier suggestions stay as they are.
    const kept = v.status !== 'capped';
    const triage: Triage = kept ? { ...fresh, revision } : fresh;
    const { waiting, reopenable } = kept ? await earlierSuggestions(deps.store, history) : { waiting: [], reopenable: [] };
    const superseded = waiting.map((s) => supersede(s, caller.actor, at, revision));
    // One of these reopened meanwhile would wait beside the new set: this change rests on their versions.
    const unchanged: Check[] = reopenable.map((s) => ({ kind: 'suggestionVersion', id: s.id, version: s.version }));
    const writes: Write[] = [...made.flatMap((m) => m.writes), ...superseded.map((s) => s.write)];
    if (kept) writes.push({ kind: 'retriage', value: triage, replaces: revisionOf(current) });
    const audit: AuditDraft[] = [
      ...made.flatMap((m) => m.audit),
      ...superseded.map((s) => s.audit),
      {
        at,
        actor: caller.actor,
        action: 'triage.retriaged',
        subject: req.messageKey,
        details: {
          internetMessageId: current.internetMessageId,
          revision: kept ? revision : null,
          replaced: revisionOf(current),
          status: v.status,
          classifier: v.draft.classifier,
          category: v.draft.category,
          signals: v.draft.signals.length,
          suggestions: suggestions.map((s) => s.id),
          superseded: waiting.map((s) => s.id),
        },
      },
    ];
    const body: RetriageResponse = { triage, superseded: waiting.map((s) => s.id) };
    return { result: { status: 201, body }, changes: { writes, checks: [{ kind: 'settingsVersion', version: view.version }, ...unchanged], audit } };
  });
}

/**
 * The suggestions of every earlier revision, as they are now: those still waiting (superseded by
 * the new one), and the closed ones of the current revision, which a reopen could still bring back
 * until this re-triage commits (whatever the window: a reopen decided a moment ago may commit now).
 * Older revisions' closed ones need no guard: a reopen refuses them already.
 */
async function earlierSuggestions(store: Store, history: Triage[]): Promise<{ waiting: Suggestion[]; reopenable: Suggestion[] }> {
  const ids = [...new Set(history.flatMap((t) => t.suggestions.map((s) => s.id)))];
  const current = new Set(history.at(-1)?.suggestions.map((s) => s.id));
  const now = (await Promise.all(ids.map((id) => store.getSuggestion(id)))).filter((s): s is Suggestion => s !== null);
  return { waiting: now.filter(isWaiting), reopenable: now.filter((s) => current.has(s.id) && canApply('reopen', s.state)) };
}
