import type { OfficeLike } from './office/surface';
import { openPane } from './opening';

/**
 * The task pane's entry. Office.js (Microsoft's CDN in production; the local host's stand-in
 * locally) is loaded by the page before this module runs. The entry is small: it draws the open
 * email (opening.ts), then loads and starts the controller (start-pane.ts, fetched in parallel
 * through the page's modulepreload links, run only after the first drawing).
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
  const opening = openPane(office, root, document, storage());
  opening
    .catch(() => undefined) // the controller draws from scratch
    .then(() => import('./start-pane'))
    .then(({ startPane }) => startPane(office, root, storage(), opening.catch(() => undefined)))
    .catch((e: unknown) => {
      root.textContent = `The pane could not start: ${(e as Error).message ?? String(e)}`;
    });
}
