import type { MessageReadLike } from './surface';

/**
 * A reply suggestion opens Outlook's own reply form, pre-filled; the person reads, edits and sends
 * it (or not). The agent never sends mail from here. displayReplyForm takes HTML up to 32 KB, and
 * the draft is model text, so the HTML is built from the TEXT by escaping every character that
 * means something in HTML: no markup from the draft can survive. A longer draft is cut (between
 * characters, never inside an entity) and says so.
 */
export const REPLY_HTML_LIMIT_BYTES = 32 * 1024;

const OPEN = '<div>';
const CLOSE = '</div>';
export const CUT_NOTICE = "<p>[The draft was cut here to fit Outlook's 32 KB limit for a pre-filled reply. The full text is in the PM agent pane.]</p>";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// eslint-disable-next-line no-control-regex
const DROPPED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\r]/;

/** One character (code point) of the draft as HTML. */
function piece(ch: string): string {
  if (ch === '\n') return '<br>';
  if (DROPPED.test(ch)) return '';
  return ESCAPES[ch] ?? ch;
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export interface ReplyHtml {
  html: string;
  /** True when the draft did not fit and was cut, with CUT_NOTICE appended. */
  cut: boolean;
}

export function replyHtml(text: string, limitBytes = REPLY_HTML_LIMIT_BYTES): ReplyHtml {
  const pieces = Array.from(text, piece);
  const whole = OPEN + pieces.join('') + CLOSE;
  if (utf8Length(whole) <= limitBytes) return { html: whole, cut: false };
  let budget = limitBytes - utf8Length(OPEN + CLOSE + CUT_NOTICE);
  let kept = '';
  for (const p of pieces) {
    const size = utf8Length(p);
    if (size > budget) break;
    kept += p;
    budget -= size;
  }
  return { html: OPEN + kept + CLOSE + CUT_NOTICE, cut: true };
}

/** Opens the reply form for the current item with the draft; returns whether the draft was cut. */
export function openReply(item: MessageReadLike, draft: string): ReplyHtml {
  const reply = replyHtml(draft);
  item.displayReplyForm(reply.html);
  return reply;
}
