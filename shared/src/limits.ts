/**
 * Triage's size limits, in a module of their own with no schema library: the Outlook pane's first
 * render clamps the open item to them before the schemas (and zod) have loaded. The schemas in
 * triage.ts enforce them.
 */
export const TRIAGE_LIMITS = {
  /** Request body limit for POST /v1/triage. */
  requestBytes: 8 * 1024 * 1024,
  /** Raw body fields (HTML or text) as received. */
  bodyChars: 6_000_000,
  recipients: 500,
  attachments: 100,
  /** Sanitised text handed to the fact extractor; longer text is cut with a visible notice. */
  sanitisedChars: 50_000,
  summaryChars: 1_200,
} as const;
