import type { Suggestion } from '@pm-agent/shared';
import type { PayloadOf } from '../common/contract';

/** What the card says after each after-the-fact action went through. */
export const AFTER_NOTES = {
  undo: 'Undo asked for: the agent removes its comment from Jira; this card shows when it is gone.',
  runNow: 'Runs now instead of waiting for the hold to end; this card shows the result.',
  editHeld: 'Saved. Your version runs when the hold ends, unless someone stops it.',
  retry: 'Trying again with the status you chose; this card shows the result.',
} as const;

type AfterPayload = PayloadOf<'inboxAfter'>;

/** The card's after-the-fact handlers for one suggestion, each bound to the payload the viewer saw. */
export function afterTheFactHandlers(s: Suggestion, act: (note: string, payload: AfterPayload) => Promise<boolean>) {
  return {
    onUndo: () => act(AFTER_NOTES.undo, { id: s.id, action: 'undo' }),
    onRunNow: () => act(AFTER_NOTES.runNow, { id: s.id, action: 'runNow', payloadHash: s.payloadHash }),
    onEditHeld: (editedText: string) => act(AFTER_NOTES.editHeld, { id: s.id, action: 'editHeld', payloadHash: s.payloadHash, editedText }),
    onRetry: (toStatus: string) => act(AFTER_NOTES.retry, { id: s.id, action: 'retry', payloadHash: s.payloadHash, toStatus }),
  };
}
