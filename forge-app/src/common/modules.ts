/**
 * The names manifest.yml gives the app's parts. Resolvers use the module keys to check which page a
 * call came from; the manifest test checks these against manifest.yml so the two cannot drift.
 */
export const MODULE_KEYS = {
  issuePanel: 'pm-agent-issue-panel',
  adminPage: 'pm-agent-admin-page',
  inboxPage: 'pm-agent-inbox',
} as const;
export type ModuleName = keyof typeof MODULE_KEYS;

/** The Forge extension type of each module, as Forge reports it in `context.extension.type`. */
export const MODULE_TYPES: Record<ModuleName, string> = {
  issuePanel: 'jira:issuePanel',
  adminPage: 'jira:adminPage',
  inboxPage: 'jira:globalPage',
};

/** The one function module; its handler is `index.handler` (src/index.ts at the repository root). */
export const RESOLVER_FUNCTION_KEY = 'resolver';

/** UI Kit resources: the bundle entry of each page, relative to the repository root. */
export const RESOURCES = {
  issuePanel: { key: 'issue-panel', path: 'forge-app/src/frontend/issue-panel.tsx' },
  adminPage: { key: 'admin-page', path: 'forge-app/src/frontend/admin-page.tsx' },
  inboxPage: { key: 'inbox-page', path: 'forge-app/src/frontend/inbox-page.tsx' },
} as const satisfies Record<ModuleName, { key: string; path: string }>;
