import { MODULE_KEYS } from '@pm-agent/forge-app/common/modules';
import type { ForgeDoc } from './forge-doc';
import { renderInto } from './render';

/**
 * The page side of the local host's Jira: plays the part Jira plays for a UI Kit app. It defines
 * `globalThis.__bridge.callBridge` before the panel's own bundle loads, draws each 'reconcile'
 * tree, answers 'getContext' with a Forge-shaped context and sends 'invoke' to the host, which
 * runs the real resolvers.
 */
const body = document.body;
const page = { module: body.dataset.module ?? '', issueKey: body.dataset.issueKey ?? '', as: body.dataset.as ?? '' };
const root = document.getElementById('forge-root')!;
const status = document.getElementById('host-status')!;

async function post(path: string, data: unknown): Promise<unknown> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  const answer = (await res.json()) as { ok: boolean; value?: unknown; error?: string };
  if (!answer.ok) throw new Error(answer.error ?? `the local host answered ${res.status}`);
  return answer.value;
}

const LOCAL_PAGES: Record<string, string> = { [MODULE_KEYS.inboxPage]: '/jira/inbox', [MODULE_KEYS.adminPage]: '/jira/admin' };

const COMMANDS: Record<string, (data: unknown) => Promise<unknown>> = {
  reconcile: async (data) => {
    renderInto(root, (data as { forgeDoc: ForgeDoc }).forgeDoc);
    status.textContent = '';
  },
  getContext: () => post('/jira/api/context', page),
  invoke: (data) => {
    const { functionKey, payload } = data as { functionKey: string; payload?: unknown };
    return post('/jira/api/invoke', { ...page, functionKey, payload: payload ?? {} });
  },
  /** router.navigate / router.open to another module of this app: the local page that plays it. */
  navigate: async (data) => {
    const d = data as { target?: string; moduleKey?: string; type?: string };
    const path = d.target === 'module' ? LOCAL_PAGES[d.moduleKey ?? ''] : undefined;
    if (!path) throw new Error('the local host can only navigate to this app’s own pages');
    if (d.type === 'new-tab') window.open(path, '_blank', 'noopener');
    else window.location.assign(path);
  },
  onError: async (data) => {
    status.textContent = `The panel hit an error: ${String((data as { error?: { message?: string } })?.error?.message ?? data)}`;
  },
};

(globalThis as unknown as { __bridge: unknown }).__bridge = {
  callBridge: (command: string, data: unknown) => {
    const run = COMMANDS[command];
    // Jira answers many more commands (theme, router, flags…); the panels here use none of them.
    return run ? run(data) : Promise.resolve(undefined);
  },
};
