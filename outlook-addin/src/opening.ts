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
  /** What was pressed on the first drawing. `triage` names the email it was pressed on: the controller triages only that one. */
  requested: { triage?: string; waiting: boolean };
  /** The automatic-triage switch as the first drawing leaves it (also kept in storage). */
  autoTriage: boolean;
}

/**
 * Enough to draw an address early: the shape of one, within the schema's length. The schema's own
 * rule decides once it has loaded (office/read-item.ts); an address it refuses is then left out.
 */
const LOOKS_LIKE_ADDRESS = /^[^\s@]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
const looksLikeAddress = (address: string) => address.length <= 254 && LOOKS_LIKE_ADDRESS.test(address);

export async function openPane(office: OfficeLike, root: Pick<Element, 'replaceChildren'>, document: DomDocument, storage: PrefStorage | undefined): Promise<Opening> {
  const opening: Opening = { drawn: false, requested: { waiting: false }, autoTriage: readAutoTriage(storage) };
  const ready = await office.onReady();
  const item = ready.host ? office.context.mailbox.item : null;
  if (!item) return opening;
  // The body is not drawn (only sent), so the first drawing does not wait for Outlook to hand it over.
  const mapped = mapItem(item, '', looksLikeAddress);
  if (mapped.kind !== 'email') return opening;
  const { email, notes } = mapped;
  const draw = () => root.replaceChildren(mount(readyView(email, notes, ctx, opening.requested.triage !== undefined), document).node);
  const ctx: ChromeContext = {
    autoTriage: opening.autoTriage,
    actions: {
      // Pressed: the button shows it is working until the controller draws the triage's progress.
      triage: () => {
        opening.requested.triage = email.internetMessageId;
        draw();
      },
      toggleWaiting: () => void (opening.requested.waiting = !opening.requested.waiting),
      setAutoTriage: (on) => {
        opening.autoTriage = ctx.autoTriage = on;
        writeAutoTriage(storage, on);
      },
    },
  };
  draw();
  opening.drawn = true;
  mark(MARKS.firstRender);
  return opening;
}
