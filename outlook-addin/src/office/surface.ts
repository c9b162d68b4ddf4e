/// <reference types="office-js" />

/**
 * The slice of Office.js the pane uses, as structural types. Production passes the real `Office`
 * global (loaded from Microsoft's CDN); unit tests pass office-addin-mock objects; the local host's
 * Office.js stand-in implements exactly this and nothing more. Keeping the surface this small is
 * what lets the stand-in be honest: if the pane needs more of Office.js, it must be added here.
 */

export interface EmailAddressLike {
  displayName: string;
  emailAddress: string;
}

export interface AttachmentLike {
  name: string;
  contentType: string;
  size: number;
  isInline?: boolean;
}

export interface AsyncResultLike<T> {
  /** Compare with `OfficeLike.AsyncResultStatus`: the real enum's values are not part of the types. */
  status: unknown;
  value: T;
  error?: { name?: string; message?: string; code?: number } | null;
}

export interface MessageReadLike {
  subject: string;
  from: EmailAddressLike | null | undefined;
  to: EmailAddressLike[];
  cc: EmailAddressLike[];
  /** Office.js has no "received" time; for a message in read mode this is when it arrived. */
  dateTimeCreated: Date;
  internetMessageId: string;
  attachments: AttachmentLike[];
  body: { getAsync(coercionType: unknown, callback: (result: AsyncResultLike<string>) => void): void };
  /** Opens Outlook's reply form pre-filled; the user sends it (or not). HTML up to 32 KB. */
  displayReplyForm(formData: string): void;
}

export interface MailboxLike {
  /** null or absent when a pinned pane has no item selected. */
  item?: MessageReadLike | null;
  userProfile: { displayName: string; emailAddress: string };
  addHandlerAsync(eventType: unknown, handler: (event?: unknown) => void, callback?: (result: AsyncResultLike<unknown>) => void): void;
}

export interface OfficeLike {
  onReady(): Promise<{ host: unknown; platform: unknown }>;
  context: {
    mailbox: MailboxLike;
    requirements: { isSetSupported(name: string, minVersion?: string): boolean };
  };
  EventType: { ItemChanged: unknown };
  CoercionType: { Html: unknown };
  AsyncResultStatus: { Succeeded: unknown; Failed: unknown };
}

/** Compile-time proof that the real Office.js (per @types/office-js) provides this surface. */
type RealOfficeFits = typeof Office extends OfficeLike ? true : false;
export const REAL_OFFICE_FITS: RealOfficeFits = true;
