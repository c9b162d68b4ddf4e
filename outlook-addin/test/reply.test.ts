import { CUT_NOTICE, REPLY_HTML_LIMIT_BYTES, openReply, replyHtml } from '../src/office/reply';
import type { MessageReadLike } from '../src/office/surface';
import { mockOffice, outlookItem } from './support/fixtures';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('reply form HTML, built from the draft text', () => {
  test('every character that means something in HTML is escaped; line breaks become <br>', () => {
    const { html, cut } = replyHtml(`Hi <b>Dana</b> & "team" 'x'\n<script>alert(1)</script><img src=//evil.example/x onerror=alert(1)>`);
    expect(cut).toBe(false);
    expect(html).toBe(
      '<div>Hi &lt;b&gt;Dana&lt;/b&gt; &amp; &quot;team&quot; &#39;x&#39;<br>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=//evil.example/x onerror=alert(1)&gt;</div>',
    );
    // The only tags are the wrapper and the line break the builder itself wrote.
    expect(html.match(/<[a-z/][^>]*>/gi)).toEqual(['<div>', '<br>', '</div>']);
  });

  test('control characters are dropped; other Unicode is kept', () => {
    expect(replyHtml('a\u0000b\u0007c\r\nd — é 😀').html).toBe('<div>abc<br>d — é 😀</div>');
  });

  test('a draft under 32 KB is not cut', () => {
    const text = 'x'.repeat(REPLY_HTML_LIMIT_BYTES - 20);
    const r = replyHtml(text);
    expect(r.cut).toBe(false);
    expect(bytes(r.html)).toBeLessThanOrEqual(REPLY_HTML_LIMIT_BYTES);
  });

  test('a longer draft is cut to fit 32 KB of UTF-8, with a notice, never inside an entity', () => {
    const text = '<&> é😀 '.repeat(10_000); // escapes and multi-byte characters near every cut point
    const r = replyHtml(text);
    expect(r.cut).toBe(true);
    expect(bytes(r.html)).toBeLessThanOrEqual(REPLY_HTML_LIMIT_BYTES);
    expect(bytes(r.html)).toBeGreaterThan(REPLY_HTML_LIMIT_BYTES - 40);
    expect(r.html.endsWith(`</div>${CUT_NOTICE}`)).toBe(true);
    const body = r.html.slice('<div>'.length, r.html.length - `</div>${CUT_NOTICE}`.length);
    expect(body).not.toMatch(/&(?![a-z]+;|#\d+;)/); // every & starts a whole entity
    expect(body).not.toMatch(/[<>]/);
  });

  test('openReply hands the escaped HTML to displayReplyForm on the open item', () => {
    const { office } = mockOffice(outlookItem());
    const item = office.context.mailbox.item as MessageReadLike & { replies?: string[] };
    const r = openReply(item, 'Thanks <Dana>');
    expect(r.cut).toBe(false);
    expect(item.replies).toEqual(['<div>Thanks &lt;Dana&gt;</div>']);
  });
});
