import { describeLink } from '@pm-agent/shared';
import { h, toSafeHref, type VNode } from './h';
import { reveal } from './text';

/**
 * Links from content are shown, never followed by themselves: the full host in view, the whole
 * URL as text, and following it is a separate click on "Open link (host)", offered only for http(s).
 * Nothing here ever loads a URL (no images, no prefetch).
 */
export function openLinkButton(href: string): VNode | null {
  const safe = toSafeHref(href);
  const info = describeLink(href);
  if (!safe || !info) return null;
  return h('a', { href: safe, class: 'button secondary', testid: 'open-link' }, `Open link (${info.host})`);
}

/** `flagged`: the email shows signs of manipulation or phishing, so none of its links is offered for opening. */
export function emailLink(link: { text: string; href: string }, flagged = false): VNode {
  const info = describeLink(link.href);
  const open = flagged ? h('p', { class: 'muted', testid: 'link-not-offered' }, 'Not offered for opening: this email shows signs of manipulation.') : openLinkButton(link.href);
  return h(
    'li',
    { class: 'link', testid: 'email-link' },
    h('div', { class: 'value' }, 'Shown as: ', h('span', { class: 'quoted' }, reveal(link.text) || '(no text)')),
    h('div', {}, 'Goes to: ', h('strong', { class: 'host', testid: 'link-host' }, info?.host ?? 'an address the pane cannot read')),
    h('div', { class: 'value' }, h('code', { class: 'href' }, reveal(link.href))),
    open ?? h('p', { class: 'muted' }, 'Not a web link: it cannot be opened from here.'),
  );
}

/** A Jira issue key as a link to the configured site (keys are checked by the schema: letters, digits, a dash). */
export function jiraIssue(key: string, browseUrl: string | undefined): VNode {
  const href = browseUrl ? toSafeHref(`${browseUrl.replace(/\/+$/, '')}/${encodeURIComponent(key)}`) : undefined;
  const host = href ? describeLink(href)?.host : undefined;
  if (!href || !host) return h('li', { testid: 'jira-issue' }, h('span', { class: 'key' }, key));
  return h('li', { testid: 'jira-issue' }, h('a', { href, testid: 'jira-link' }, key), ' ', h('span', { class: 'host' }, `(${host})`));
}
