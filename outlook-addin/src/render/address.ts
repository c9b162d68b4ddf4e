import { h, type Child, type VNode } from './h';
import { reveal } from './text';

/**
 * Email addresses as the pane shows them: whole words, never broken mid-word in a 320 px pane.
 * An address has no spaces, so a browser either overflows it or (with overflow-wrap) cuts it
 * anywhere; a <wbr> before "@" and before each dot gives it the places a reader expects instead.
 * Only a single part wider than the whole pane still falls back to a cut (taskpane.css `.address`).
 * The text is unchanged: copying it or reading it aloud gives the address as it came.
 */
export function address(value: string): VNode {
  const parts = value.split(/(?=[@.])/);
  return h('span', { class: 'address' }, parts.flatMap((p, i) => (i === 0 ? [p] : [h('wbr'), p])));
}

/** "Dana Lee <dana@northwind.example>", or the address alone. */
export function person(p: { name?: string | undefined; address: string }): Child[] {
  if (!p.name || p.name === p.address) return [address(p.address)];
  return [h('span', { class: 'name' }, reveal(p.name)), ' <', address(p.address), '>'];
}
