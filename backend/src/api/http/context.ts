import type { Principal } from '@pm-agent/shared';
import type { Authenticator } from '../auth/authenticator';
import type { Caller } from '../../domain/caller';
import type { Outcome } from '../../domain/idempotency';
import type { Store } from '../../store/store';
import type { TriageDeps } from '../triage/pipeline';

export interface AppDeps {
  store: Store;
  authenticator: Authenticator;
  now: () => Date;
  mode: 'local' | 'aws';
  version: string;
  /** Routes the host adds to the table (the dev stack's local identity stand-ins); none on AWS. */
  extraRoutes?: readonly Route[];
  /** One line per request; never given a secret. */
  log?: (line: string) => void;
  /** The triage stages; without them POST /v1/triage answers 503. */
  triage?: Pick<TriageDeps, 'stages' | 'model' | 'classify'>;
  /** Browser origins allowed to call the API (CORS), e.g. the local host serving the Outlook pane. */
  corsOrigins?: readonly string[];
  /** Called after a change that may have made something ready to execute (the dispatcher looks at once). */
  afterChange?: () => void;
}

export interface RouteContext {
  deps: AppDeps;
  req: Request;
  url: URL;
  params: Record<string, string>;
  body: Uint8Array;
  requestId: string;
  /** Present on every signed route. */
  caller: Caller;
}

export type Handler = (ctx: RouteContext) => Promise<Outcome | Response>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** `public`: no signature (health, and the local-only identity stand-ins). Otherwise the principals allowed. */
  access: 'public' | readonly Principal[];
  /** Forge calls to this route must come from the admin page (signed x-pm-role: admin). */
  adminOnly?: boolean;
  /** Largest body accepted, in bytes. */
  bodyLimit?: number;
  handler: Handler;
}
