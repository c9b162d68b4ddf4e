import { describeIssues, payloadHash, type AuditEntry, type Suggestion } from '@pm-agent/shared';
import type { BackendClient } from '@pm-agent/backend-client';
import {
  PAYLOADS,
  RESOLVER_NAMES,
  type ConnectionCheck,
  type ParsedPayloadOf,
  type ResolverError,
  type ResolverName,
  type ResultOf,
  type SuggestionItem,
} from '../common/contract';
import { editableText, editedPayload } from '@pm-agent/shared';
import type { ModuleName } from '../common/modules';
import { backendHost, clientFor, connectionView, endpointOrThrow, saveConnection } from './connection';
import { callerFrom, type Caller, type ResolverRequest } from './context';
import { describeFailure, INTERNAL, type Purpose } from './errors';
import { checkHealth } from './health';
import type { ResolverPorts } from './ports';

/**
 * One small function per resolver. Each runs behind the same gate: the call must come from the
 * right module of this app (and, for the admin page, from a Jira admin), its payload must pass
 * its strict schema, and every failure comes back as words, never as a thrown error or a secret.
 * The backend stays the authority on who may approve: the resolvers forward only Forge's verified
 * accountId, signed, and report the backend's refusal.
 */

/**
 * Undo, run now, edit a held item, retry with another status: one backend call each. An edit is
 * checked against the hash seen here first (as for "Edit then approve"), then sent as a payload.
 */
async function afterTheFact(client: BackendClient, payload: ParsedPayloadOf<'inboxAfter'>, item: (s: Suggestion) => SuggestionItem): Promise<ResultOf<'inboxAfter'>> {
  switch (payload.action) {
    case 'undo':
      return ok({ item: item(await client.afterTheFact(payload.id, { action: 'undo' })) });
    case 'runNow':
      return ok({ item: item(await client.afterTheFact(payload.id, { action: 'run-now', payloadHash: payload.payloadHash })) });
    case 'retry':
      return ok({ item: item(await client.afterTheFact(payload.id, { action: 'retry', payloadHash: payload.payloadHash, toStatus: payload.toStatus })) });
    case 'editHeld': {
      const s = await client.getSuggestion(payload.id);
      if (s.payloadHash !== payload.payloadHash) {
        return fail({ kind: 'conflict', message: 'This suggestion changed since you loaded it. Review the current version below and edit again.', current: s });
      }
      const edit = editedPayload(s.actionType, s.payload, payload.editedText);
      if (!edit.ok) return fail({ kind: 'invalid_request', message: edit.problem });
      const edited = await client.afterTheFact(s.id, { action: 'edit', payload: edit.payload, payloadHash: await payloadHash(edit.payload), basePayloadHash: payload.payloadHash });
      return ok({ item: item(edited) });
    }
  }
}

/** Which page may call each resolver, and what a refusal by the backend would mean there. */
export const ACCESS: Record<ResolverName, { module: ModuleName; purpose: Purpose }> = {
  getIssueSuggestions: { module: 'issuePanel', purpose: 'read' },
  getSuggestion: { module: 'issuePanel', purpose: 'read' },
  approve: { module: 'issuePanel', purpose: 'decide' },
  reject: { module: 'issuePanel', purpose: 'decide' },
  stop: { module: 'issuePanel', purpose: 'decide' },
  getAdminConfig: { module: 'adminPage', purpose: 'admin' },
  saveConnection: { module: 'adminPage', purpose: 'admin' },
  testConnection: { module: 'adminPage', purpose: 'test' },
  getSettings: { module: 'adminPage', purpose: 'admin' },
  saveSettings: { module: 'adminPage', purpose: 'admin' },
  getAudit: { module: 'adminPage', purpose: 'admin' },
  getInbox: { module: 'inboxPage', purpose: 'read' },
  decideMany: { module: 'inboxPage', purpose: 'decide' },
  inboxAct: { module: 'inboxPage', purpose: 'decide' },
  inboxAfter: { module: 'inboxPage', purpose: 'decide' },
  panelAfter: { module: 'issuePanel', purpose: 'decide' },
};

const WRONG_MODULE: Record<ModuleName, string> = {
  issuePanel: 'Only the PM agent issue panel can do this.',
  adminPage: 'Only the PM agent admin page can do this.',
  inboxPage: 'Only the PM agent inbox can do this.',
};

export type ResolverFn<N extends ResolverName> = (req: ResolverRequest) => Promise<ResultOf<N>>;
export type ResolverDefinitions = { [N in ResolverName]: ResolverFn<N> };

interface Call<N extends ResolverName> {
  payload: ParsedPayloadOf<N>;
  caller: Caller;
  /** The backend client for this caller, signing as the installation (admin role only on the admin page). */
  backend(): Promise<BackendClient>;
}

type Run<N extends ResolverName> = (call: Call<N>) => Promise<ResultOf<N>>;

const ok = <T extends object>(data: T): { ok: true } & T => ({ ok: true, ...data });
const fail = (error: ResolverError): { ok: false; error: ResolverError } => ({ ok: false, error });

export function resolverDefinitions(ports: ResolverPorts): ResolverDefinitions {
  const runs = runners(ports);
  const gate = <N extends ResolverName>(name: N): ResolverFn<N> => gated(ports, name, runs[name] as Run<N>);
  return Object.fromEntries(RESOLVER_NAMES.map((name) => [name, gate(name)])) as ResolverDefinitions;
}

function gated<N extends ResolverName>(ports: ResolverPorts, name: N, run: Run<N>): ResolverFn<N> {
  const { module, purpose } = ACCESS[name];
  return async (req) => {
    const started = ports.now().getTime();
    const result = await answer();
    ports.log?.(`resolver ${name}: ${result.ok ? 'ok' : result.error.kind} in ${ports.now().getTime() - started} ms`);
    return result;

    async function answer(): Promise<ResultOf<N>> {
      const who = callerFrom(req.context);
      if (!who.ok) return fail({ kind: 'not_allowed', message: who.message });
      const caller = who.caller;
      if (caller.module !== module) return fail({ kind: 'not_allowed', message: WRONG_MODULE[module] });
      try {
        if (module === 'adminPage' && !(await ports.isJiraAdmin(caller.accountId))) {
          return fail({ kind: 'not_allowed', message: 'Only Jira admins can see or change the PM agent settings.' });
        }
        const parsed = PAYLOADS[name].safeParse(req.payload);
        if (!parsed.success) {
          const issues = describeIssues(parsed.error);
          return fail({ kind: 'invalid_request', message: `The page sent a request the app cannot accept: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues });
        }
        const backend = () => clientFor(ports, { accountId: caller.accountId, site: caller.site, admin: module === 'adminPage' });
        return await run({ payload: parsed.data as ParsedPayloadOf<N>, caller, backend });
      } catch (error) {
        if (ports.isPlatformError?.(error)) throw error;
        const described = describeFailure(error, { purpose, host: await backendHost(ports).catch(() => undefined) });
        if (described) return fail(described);
        ports.log?.(`resolver ${name}: unexpected ${error instanceof Error ? error.name : typeof error}`);
        return fail(INTERNAL);
      }
    }
  };
}

function runners(ports: ResolverPorts): { [N in ResolverName]: Run<N> } {
  const item = (suggestion: Suggestion): SuggestionItem => ({ suggestion, holdLeftMs: holdLeftMs(suggestion, ports.now()) });

  /** The suggestion, if it concerns the issue the panel is open on; the issue key comes from Forge, never the page. */
  async function onThisIssue(client: BackendClient, caller: Caller, id: string): Promise<{ ok: true; suggestion: Suggestion } | { ok: false; error: ResolverError }> {
    if (!caller.issueKey) return fail({ kind: 'not_allowed', message: 'Open the PM agent panel on a Jira issue to see its suggestions.' });
    const suggestion = await client.getSuggestion(id);
    if (suggestion.issueKey !== caller.issueKey) {
      return fail({ kind: 'not_found', message: `This suggestion is not about ${caller.issueKey}. Refresh the panel.` });
    }
    return { ok: true, suggestion };
  }

  return {
    async getIssueSuggestions({ caller, backend }) {
      if (!caller.issueKey) return fail({ kind: 'not_allowed', message: 'Open the PM agent panel on a Jira issue to see its suggestions.' });
      const client = await backend();
      const [list, viewer] = await Promise.all([client.listSuggestions({ issueKey: caller.issueKey }), client.getViewer()]);
      return ok({ issueKey: caller.issueKey, viewer, items: forPanel(list.items).map(item) });
    },

    async getSuggestion({ payload, caller, backend }) {
      const found = await onThisIssue(await backend(), caller, payload.id);
      return found.ok ? ok({ item: item(found.suggestion) }) : found;
    },

    async approve({ payload, caller, backend }) {
      const client = await backend();
      const found = await onThisIssue(client, caller, payload.id);
      if (!found.ok) return found;
      const s = found.suggestion;
      const text = payload.editedText;
      if (text === undefined || text === editableText(s.actionType, s.payload)) {
        return ok({ item: item(await client.approveSuggestion(s.id, { payloadHash: payload.payloadHash })) });
      }
      // The hash of what the approver saw is checked before their edit replaces it: an edit of a
      // stale view would otherwise approve text they never read.
      if (s.payloadHash !== payload.payloadHash) {
        return fail({ kind: 'conflict', message: 'This suggestion changed since you loaded it. Review the current version below and approve again.', current: s });
      }
      const edit = editedPayload(s.actionType, s.payload, text);
      if (!edit.ok) return fail({ kind: 'invalid_request', message: edit.problem });
      const approved = await client.approveSuggestion(s.id, { payloadHash: await payloadHash(edit.payload), payload: edit.payload, basePayloadHash: payload.payloadHash });
      return ok({ item: item(approved) });
    },

    async reject({ payload, caller, backend }) {
      const client = await backend();
      const found = await onThisIssue(client, caller, payload.id);
      if (!found.ok) return found;
      return ok({ item: item(await client.rejectSuggestion(payload.id, { reason: payload.reason })) });
    },

    async stop({ payload, caller, backend }) {
      const client = await backend();
      const found = await onThisIssue(client, caller, payload.id);
      if (!found.ok) return found;
      return ok({ item: item(await client.stopSuggestion(payload.id)) });
    },

    async getInbox({ payload, backend }) {
      const client = await backend();
      const { watch = [], ...query } = payload;
      const [page, viewer] = await Promise.all([client.getInbox(query), client.getViewer()]);
      // Only what left the view costs a read: on a quiet poll, nothing does.
      const shown = new Set(page.items.map((s) => s.id));
      const left = await Promise.all(watch.filter((id) => !shown.has(id)).map((id) => client.getSuggestion(id).catch(() => null)));
      return ok({ viewer, items: page.items.map(item), counts: page.counts, total: page.total, next: page.next, left: left.filter((s): s is Suggestion => s !== null) });
    },

    /** Each item is decided on its own by the backend, bound to the hash the approver saw. */
    async decideMany({ payload, backend }) {
      const { results } = await (await backend()).decideMany(payload);
      return ok({ results });
    },

    async inboxAct({ payload, backend }) {
      const client = await backend();
      const s = await client.closeOrReopen(payload.id, payload.action, payload.action === 'respond' ? payload.guidance : undefined);
      return ok({ item: item(s) });
    },

    async inboxAfter({ payload, backend }) {
      return afterTheFact(await backend(), payload, item);
    },

    async panelAfter({ payload, caller, backend }) {
      const client = await backend();
      const found = await onThisIssue(client, caller, payload.id);
      return found.ok ? afterTheFact(client, payload, item) : found;
    },

    async getAdminConfig() {
      return ok({ connection: await connectionView(ports) });
    },

    async saveConnection({ payload }) {
      const { credentialsChanged } = await saveConnection(ports, payload);
      ports.log?.(`backend connection saved${credentialsChanged ? ' with a new key pair' : ''}`);
      return ok({ connection: await connectionView(ports) });
    },

    async testConnection({ caller, backend }) {
      const endpoint = await endpointOrThrow(ports);
      const checks: ConnectionCheck[] = [await checkHealth(ports, endpoint), await signedCheck(ports, caller, backend)];
      return ok({ checks });
    },

    async getSettings({ backend }) {
      return ok({ view: await (await backend()).getSettings() });
    },

    async saveSettings({ payload, backend }) {
      const view = await (await backend()).updateSettings(payload.settings, payload.version);
      ports.log?.(`settings saved as version ${view.version}`);
      return ok({ view });
    },

    async getAudit({ payload, backend }) {
      return ok(await recentAudit(await backend(), payload.limit ?? AUDIT_SHOWN));
    },
  };
}

/** Open items first (what someone may still act on), then the rest, newest first. */
const OPEN_STATES: ReadonlySet<Suggestion['state']> = new Set(['pending', 'scheduled', 'approved', 'executing']);
const PANEL_LIMIT = 50;

function forPanel(items: Suggestion[]): Suggestion[] {
  const rank = (s: Suggestion) => (OPEN_STATES.has(s.state) ? 0 : 1);
  return [...items].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt)).slice(0, PANEL_LIMIT);
}

export function holdLeftMs(s: Suggestion, now: Date): number | null {
  if (s.state !== 'scheduled' || !s.runAt) return null;
  return Math.max(0, Date.parse(s.runAt) - now.getTime());
}

async function signedCheck(ports: ResolverPorts, caller: Caller, backend: () => Promise<BackendClient>): Promise<ConnectionCheck> {
  const label = 'Signed call with the stored key';
  try {
    const view = await (await backend()).getSettings();
    return { name: 'signed', label, ok: true, detail: `Accepted: the key signs as this app, and admin calls work (settings version ${view.version}).` };
  } catch (error) {
    const described = describeFailure(error, { purpose: 'test', host: await backendHost(ports) });
    if (!described) throw error;
    return { name: 'signed', label, ok: false, detail: described.kind === 'not_configured' ? 'No access key is stored yet: enter the key id and secret, then save.' : `${described.message}${described.detail ? ` (${described.detail})` : ''}` };
  }
}

/** The audit API reads oldest first; the page wants the latest, so read to the end (within a budget). */
const AUDIT_SHOWN = 50;
const AUDIT_PAGE = 500;
const AUDIT_MAX_PAGES = 10;

async function recentAudit(client: BackendClient, limit: number): Promise<{ entries: AuditEntry[]; more: boolean }> {
  let latest: AuditEntry[] = [];
  let after: number | undefined;
  for (let page = 0; page < AUDIT_MAX_PAGES; page++) {
    const { items, next } = await client.listAudit({ after, limit: AUDIT_PAGE });
    latest = [...latest, ...items].slice(-limit);
    if (next === null) return { entries: latest.reverse(), more: false };
    after = next;
  }
  return { entries: latest.reverse(), more: true };
}

