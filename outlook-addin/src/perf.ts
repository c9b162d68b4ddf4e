/** Performance marks the bench reads from the page (performance.getEntriesByName). */
export const MARKS = {
  /** The open email is drawn (opening.ts, before the controller has loaded). */
  firstRender: 'pane:first-render',
  /** The controller has drawn the email over the first drawing: from here every button acts at once. */
  controllerReady: 'pane:controller-ready',
  triageStart: 'pane:triage-start',
  triageResult: 'pane:triage-result',
} as const;

export function mark(name: (typeof MARKS)[keyof typeof MARKS]): void {
  try {
    globalThis.performance?.mark(name);
  } catch {
    // Marks are for measurement only.
  }
}
