/**
 * The pane's pure parts, for the local host, tests and the bench. The browser entry is taskpane.ts;
 * the build is ../build.ts.
 */
export { PaneConfigSchema, parseConfig, type PaneConfig } from './auth/config';
export { emailFromItem, readCurrentEmail, type ReadOutcome } from './office/read-item';
export { REPLY_HTML_LIMIT_BYTES, replyHtml } from './office/reply';
export type { AsyncResultLike, AttachmentLike, EmailAddressLike, MailboxLike, MessageReadLike, OfficeLike } from './office/surface';
export { MARKS } from './perf';
export { BUTTONS, HEADINGS } from './render/labels';
export { reveal } from './render/text';
export { MESSAGES } from './render/chrome';
