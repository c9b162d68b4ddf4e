import type { LocalBackend, LocalBackendOptions } from '@pm-agent/dev-stack';
import type { LocalHost } from '../host';
import { startLocalStack } from '../stack';
import { outlookModule } from './index';

/** The pane against a real local stack (see ../stack.ts), with the pane's own URL at hand. */
export interface OutlookStack {
  backend: LocalBackend;
  host: LocalHost;
  /** e.g. http://127.0.0.1:41234/outlook/ */
  paneHostUrl: string;
  close(): Promise<void>;
}

export async function startOutlookStack(options: { backend?: Partial<LocalBackendOptions>; log?: (line: string) => void; liveRefreshMs?: number } = {}): Promise<OutlookStack> {
  const stack = await startLocalStack([outlookModule], options);
  return { backend: stack.backend, host: stack.host, paneHostUrl: `${stack.host.url}/outlook/`, close: () => stack.stop() };
}
