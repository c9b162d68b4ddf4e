import type { OfficeLike } from './office/surface';
import { openPane } from './opening';

/**
 * The task pane's entry, inline in taskpane.html (build.ts). Office.js (Microsoft's CDN in
 * production; the local host's stand-in locally) is loaded by the page before this module runs.
 * The entry is small: it draws the open email (opening.ts), then loads and starts the controller
 * (start-pane.ts). Nothing of the controller is fetched before the drawing: on a busy machine its
 * download and compilation delayed the drawing more than they sped up the controller.
 */
const root = document.getElementById('pane');
const office = (globalThis as { Office?: OfficeLike }).Office;

/** The chunks the controller's chunk imports (build.ts defines it): fetched together with it, not one after another. */
declare const __PANE_CONTROLLER_IMPORTS__: readonly string[] | undefined;

function preloadController(): void {
  const imports = typeof __PANE_CONTROLLER_IMPORTS__ === 'undefined' ? [] : __PANE_CONTROLLER_IMPORTS__;
  for (const href of imports) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
}

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
    .then(() => {
      preloadController();
      return import('./start-pane');
    })
    .then(({ startPane }) => startPane(office, root, storage(), opening.catch(() => undefined)))
    .catch((e: unknown) => {
      root.textContent = `The pane could not start: ${(e as Error).message ?? String(e)}`;
    });
}
