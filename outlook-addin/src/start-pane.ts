import { loadConfig } from './auth/config';
import type { Opening } from './opening';
import type { OfficeLike } from './office/surface';
import { Pane } from './pane';
import type { PrefStorage } from './prefs';

/**
 * The controller's half of the entry, loaded by import() once the email is drawn: everything the
 * first drawing does not need (the backend client, sign-in, schemas) is in this module's graph.
 */
export function startPane(office: OfficeLike, root: HTMLElement, storage: PrefStorage | undefined, opening: Promise<Opening | undefined>): Promise<void> {
  return new Pane({ office, root, document, storage, pageUrl: location.href, loadConfig: () => loadConfig(), opening }).start();
}
