import type { LocalBackend } from '@pm-agent/dev-stack';

/**
 * One product surface the local host serves (the Jira panels, the Outlook pane), under its own
 * path prefix. Handlers are web-standard, like the backend's.
 */
export interface HostModule {
  /** e.g. "/jira" */
  prefix: string;
  /** A line for the start-up banner and the index page. */
  describe: Array<{ path: string; what: string }>;
  handle(req: Request, url: URL): Promise<Response>;
  close?(): Promise<void>;
}

export interface HostContext {
  /** The running local backend (its URL, credentials, store). */
  backend: LocalBackend;
  /** The local host's own origin, e.g. http://127.0.0.1:8788. */
  origin: string;
  /** Where modules may keep local state (e.g. the Forge app's stored settings). */
  home: string;
  log?: (line: string) => void;
  /** How often the panels and the pane poll (live refresh); tests shorten it. Default: LIVE_REFRESH_MS. */
  liveRefreshMs?: number | undefined;
}

export type HostModuleFactory = (ctx: HostContext) => Promise<HostModule>;
