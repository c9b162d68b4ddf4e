/** Performance marks the bench reads from the page (performance.getEntriesByName). */
export const MARKS = {
  firstRender: 'pane:first-render',
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
