/**
 * The local host's page around the pane (/outlook/): a list of emails to open, standing in for
 * Outlook's message list. Clicking one tells the Office.js stand-in inside the pane's frame, which
 * fires ItemChanged. Reply forms the pane opens are shown here as their HTML source, as text.
 * Everything from an email is put on the page with textContent only.
 */
import { visible } from './visible';

interface Summary {
  id: string;
  group: string;
  subject: string;
  from: string;
}

const GROUP_TITLES: Record<string, string> = { posted: 'Posted to /outlook/emails', ordinary: 'Ordinary', hostile: 'Hostile (prompt injection and tricks)' };

const list = document.getElementById('emails') as HTMLElement;
const frame = document.getElementById('pane-frame') as HTMLIFrameElement;
const replies = document.getElementById('replies') as HTMLElement;
const form = document.getElementById('post-form') as HTMLFormElement;
const formText = document.getElementById('post-json') as HTMLTextAreaElement;
const formStatus = document.getElementById('post-status') as HTMLElement;
/** The server names the email the pane opened with (the default one when the URL names none). */
let selected: string | null = frame.dataset.email && frame.dataset.email !== 'none' ? frame.dataset.email : null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

const emailView = document.getElementById('email-view') as HTMLElement | null;

/** The selected email as the pane reads it, shown beside it: headers and the body, as text only. */
async function showEmail(id: string | null): Promise<void> {
  if (!emailView) return;
  if (!id) return emailView.replaceChildren(el('h2', 'The email'), el('p', 'No email selected.'));
  const res = await fetch(`emails/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
  if (!res.ok) return emailView.replaceChildren(el('h2', 'The email'), el('p', `The local host has no email "${visible(id)}".`));
  const e = (await res.json()) as { subject?: string; from?: { name?: string; address?: string }; receivedAt?: string; bodyText?: string; bodyHtml?: string };
  const dl = el('dl');
  const row = (k: string, v: string) => dl.append(el('dt', k), el('dd', visible(v)));
  row('Subject', e.subject || '(no subject)');
  row('From', `${e.from?.name ?? ''} <${e.from?.address ?? ''}>`.trim());
  row('Received', e.receivedAt ?? '');
  const body = e.bodyText ?? e.bodyHtml ?? '';
  const pre = el('pre', visible(body));
  pre.setAttribute('data-testid', 'email-body');
  emailView.replaceChildren(el('h2', 'The email'), dl, el('p', e.bodyText !== undefined ? 'Body (text):' : 'Body (HTML source, shown as text, never rendered):'), pre);
}

function isSummary(v: unknown): v is Summary {
  const o = v as Partial<Summary> | null;
  return !!o && typeof o.id === 'string' && typeof o.group === 'string' && typeof o.subject === 'string' && typeof o.from === 'string';
}

function button(id: string | null, label: string, detail?: string): HTMLLIElement {
  const li = el('li');
  const b = el('button', label);
  b.type = 'button';
  b.dataset.email = id ?? 'none';
  if ((selected ?? 'none') === (id ?? 'none')) b.setAttribute('aria-current', 'true');
  b.addEventListener('click', () => choose(id));
  li.append(b);
  if (detail) li.append(el('small', detail));
  return li;
}

async function refresh(): Promise<void> {
  const res = await fetch('emails', { credentials: 'same-origin' });
  const all = ((await res.json()) as unknown[]).filter(isSummary);
  const out: HTMLElement[] = [el('h2', 'Emails'), el('ul')];
  out[1]!.append(button(null, 'No email selected'));
  for (const group of ['posted', 'ordinary', 'hostile']) {
    const members = all.filter((e) => e.group === group);
    if (!members.length) continue;
    const ul = el('ul');
    for (const e of members) ul.append(button(e.id, visible(e.subject) || '(no subject)', `${visible(e.from)} · ${e.id}`));
    out.push(el('h3', GROUP_TITLES[group] ?? group), ul);
  }
  list.replaceChildren(...out);
}

function choose(id: string | null): void {
  selected = id;
  for (const b of list.querySelectorAll('button[data-email]')) b.toggleAttribute('aria-current', (b as HTMLElement).dataset.email === (id ?? 'none'));
  history.replaceState(null, '', `?email=${encodeURIComponent(id ?? 'none')}`);
  frame.contentWindow?.postMessage({ source: 'pm-agent-host', type: 'select', id }, location.origin);
  void showEmail(id);
}

addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.origin !== location.origin || event.source !== frame.contentWindow) return;
  const data = event.data as { source?: unknown; type?: unknown; html?: unknown } | null;
  if (data?.source !== 'pm-agent-stand-in' || data.type !== 'reply-form' || typeof data.html !== 'string') return;
  const li = el('li');
  li.setAttribute('data-testid', 'reply-form');
  li.append(el('p', `displayReplyForm called at ${new Date().toISOString().slice(11, 19)} (recorded by the stand-in; nothing is sent):`), el('pre', data.html));
  replies.prepend(li);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    formStatus.textContent = 'Sending…';
    const res = await fetch('emails', { method: 'POST', headers: { 'content-type': 'application/json' }, body: formText.value, credentials: 'same-origin' });
    const answer = (await res.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
    if (res.status === 201 && typeof answer.id === 'string') {
      formStatus.textContent = `Stored as ${answer.id}.`;
      await refresh();
      choose(answer.id);
    } else {
      formStatus.textContent = typeof answer.message === 'string' ? answer.message : `The local host answered HTTP ${res.status}.`;
    }
  })();
});

void refresh();
void showEmail(selected);
