import { loadConfig } from './auth/config';
import type { OfficeLike } from './office/surface';
import { Pane } from './pane';

/**
 * The task pane's entry. Office.js (Microsoft's CDN in production; the local host's stand-in
 * locally) is loaded by the page before this module runs.
 */
const root = document.getElementById('pane');
const office = (globalThis as { Office?: OfficeLike }).Office;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

if (root && !office) {
  root.textContent = 'Office.js did not load, so the pane cannot read the email. Check the connection and reopen the pane.';
} else if (root && office) {
  const pane = new Pane({ office, root, document, storage: storage(), pageUrl: location.href, loadConfig: () => loadConfig() });
  pane.start().catch((e: unknown) => {
    root.textContent = `The pane could not start: ${(e as Error).message ?? String(e)}`;
  });
}
