import type { OfficeLike } from './surface';

/**
 * A pinned pane stays open while the user moves between emails; Outlook tells it through
 * ItemChanged (Mailbox 1.5), and `mailbox.item` is then the new item, or null when nothing is
 * selected. Resolves true when the handler is registered; false when the host cannot pin (the pane
 * then closes with its item, so there is nothing to follow).
 */
export function followItemChanges(office: OfficeLike, onChange: () => void): Promise<boolean> {
  if (!office.context.requirements.isSetSupported('Mailbox', '1.5')) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      office.context.mailbox.addHandlerAsync(office.EventType.ItemChanged, () => onChange(), (result) => resolve(result.status === office.AsyncResultStatus.Succeeded));
    } catch {
      resolve(false);
    }
  });
}
