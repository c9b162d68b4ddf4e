import { mapItem } from './office/map-item';
import type { OfficeLike } from './office/surface';
import { mark, MARKS } from './perf';
import { readAutoTriage, writeAutoTriage, type PrefStorage } from './prefs';
import { readyView, type ChromeContext } from './render/chrome';
import { mount, type DomDocument } from './render/h';

/**
 * Opening the pane: as soon as Office is ready, the open email is drawn with the small render core
 * (render/chrome.ts), before the controller (backend client, sign-in, schemas: most of the pane's
 * code) has loaded and run. The controller then reads the item properly (body, the schema's checks)
 * and draws the same view over it. Buttons pressed in between are remembered and replayed.
 */
export interface Opening {
  /** The email was drawn. Not when there is nothing to draw yet (outside Outlook, no email, an item that cannot be triaged): the controller says what is wrong. */
  drawn: boolean;
  requested: { triage: boolean; waiting: boolean };
}

/** Enough to draw an address early; the schema's own rule decides once it has loaded (office/read-item.ts). */
const LOOKS_LIKE_ADDRESS = /^[^\s@]+@[^\s@]+$/;

export async function openPane(office: OfficeLike, root: Pick<Element, 'replaceChildren'>, document: DomDocument, storage: PrefStorage | undefined): Promise<Opening> {
  const opening: Opening = { drawn: false, requested: { triage: false, waiting: false } };
  const ready = await office.onReady();
  const item = ready.host ? office.context.mailbox.item : null;
  if (!item) return opening;
  // The body is not drawn (only sent), so the first drawing does not wait for Outlook to hand it over.
  const mapped = mapItem(item, '', (address) => LOOKS_LIKE_ADDRESS.test(address));
  if (mapped.kind !== 'email') return opening;
  const ctx: ChromeContext = {
    autoTriage: readAutoTriage(storage),
    actions: {
      triage: () => void (opening.requested.triage = true),
      toggleWaiting: () => void (opening.requested.waiting = true),
      setAutoTriage: (on) => writeAutoTriage(storage, on),
    },
  };
  root.replaceChildren(mount(readyView(mapped.email, mapped.notes, ctx), document).node);
  opening.drawn = true;
  mark(MARKS.firstRender);
  return opening;
}
