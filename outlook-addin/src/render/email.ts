import type { EmailInput } from '@pm-agent/shared';
import { h, type VNode } from './h';
import { HEADINGS } from './labels';
import { person } from './address';
import { bytes, count, reveal, when } from './text';

/** What the pane read from the open item, every field as text. */
const SHOWN_RECIPIENTS = 20;

function people(list: EmailInput['to'], testid: string): VNode {
  const shown = list.slice(0, SHOWN_RECIPIENTS).map((p) => h('li', {}, person(p)));
  const more = list.length > SHOWN_RECIPIENTS ? h('li', { class: 'muted' }, `and ${list.length - SHOWN_RECIPIENTS} more`) : null;
  return h('dd', { testid }, list.length ? h('ul', { class: 'plain' }, shown, more) : h('span', { class: 'muted' }, 'nobody'));
}

export function emailCard(email: EmailInput, notes: string[], compact = false): VNode {
  const attachments = email.attachments.map((a) =>
    h('li', { testid: 'email-attachment' }, h('span', { class: 'value' }, reveal(a.name) || '(no name)'), ' ', h('small', { class: 'muted' }, `${reveal(a.contentType)}, ${bytes(a.size)}`)),
  );
  return h(
    'section',
    { class: 'email', testid: 'email', ariaLabelledby: 'email-heading' },
    // After triage the heading is for screen readers only and all but the subject folds away, so the
    // result and the first suggestion's buttons fit a 320 × 600 pane.
    h('h2', { id: 'email-heading', ...(compact ? { class: 'sr-only' } : {}) }, HEADINGS.email),
    h('dl', {}, h('dt', {}, 'Subject'), h('dd', { testid: 'email-subject', class: compact ? 'value clamp' : 'value' }, email.subject ? reveal(email.subject) : '(no subject)'), compact ? null : from()),
    compact ? h('details', { testid: 'email-more' }, h('summary', {}, 'More about this email'), h('dl', {}, from()), rest()) : rest(),
  );

  function from(): VNode[] {
    return [h('dt', {}, 'From'), h('dd', { testid: 'email-from', class: 'value' }, person(email.from))];
  }

  function rest(): VNode[] {
    return [
    h(
      'dl',
      {},
      h('dt', {}, 'To'),
      people(email.to, 'email-to'),
      email.cc.length ? [h('dt', {}, 'Cc'), people(email.cc, 'email-cc')] : null,
      h('dt', {}, 'Received'),
      h('dd', { testid: 'email-received' }, when(email.receivedAt)),
      h('dt', {}, 'Attachments'),
      h('dd', {}, attachments.length ? h('ul', { class: 'plain', testid: 'email-attachments' }, attachments) : h('span', { class: 'muted' }, 'none')),
    ),
    ...(notes.length ? [h('ul', { class: 'notes', testid: 'read-notes' }, notes.map((n) => h('li', {}, n)))] : []),
    ...(email.attachments.length ? [h('p', { class: 'muted' }, `${count(email.attachments.length, 'attachment')}: only names, types and sizes are sent, never the files.`)] : []),
    ];
  }
}
