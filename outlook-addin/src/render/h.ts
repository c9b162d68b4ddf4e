import { describeLink } from '@pm-agent/shared';

/**
 * The pane's views are pure functions from state to a small tree of VNodes, and `mount` is the only
 * code that touches the DOM. The tree cannot express HTML: text is always a string child that
 * becomes a text node, attributes come from a fixed list, and a link's href can only be a SafeHref
 * (an http(s) URL checked by `safeHref`). `mount` uses createElement, createTextNode, setAttribute
 * and property writes; never innerHTML, outerHTML, insertAdjacentHTML or document.write.
 */

export type Tag =
  | 'main'
  | 'header'
  | 'footer'
  | 'section'
  | 'div'
  | 'h1'
  | 'h2'
  | 'h3'
  | 'p'
  | 'span'
  | 'strong'
  | 'em'
  | 'code'
  | 'small'
  | 'ul'
  | 'li'
  | 'dl'
  | 'dt'
  | 'dd'
  | 'button'
  | 'a'
  | 'label'
  | 'input'
  | 'textarea'
  | 'progress'
  | 'details'
  | 'summary'
  /** A line-break opportunity (addresses break at "@" and dots, not mid-word). */
  | 'wbr';

declare const safeHref: unique symbol;
/** An absolute http(s) URL, as `safeHref()` returns it. Nothing else can become an href. */
export type SafeHref = string & { readonly [safeHref]: true };

/** The URL if it may be offered for following (http or https), normalised by the URL parser. */
export function toSafeHref(raw: string): SafeHref | undefined {
  const info = describeLink(raw);
  return info?.followable ? (info.href as SafeHref) : undefined;
}

export interface Attrs {
  class?: string;
  testid?: string;
  id?: string;
  htmlFor?: string;
  role?: 'status' | 'alert' | 'group' | 'list' | 'region';
  ariaLive?: 'polite' | 'assertive';
  ariaLabel?: string;
  ariaLabelledby?: string;
  title?: string;
  type?: 'button' | 'checkbox';
  disabled?: boolean;
  checked?: boolean;
  value?: string;
  rows?: number;
  autofocus?: boolean;
  /** -1: focusable by the pane (to move focus to a heading), not by Tab. */
  tabindex?: '-1';
  /** Links always open in a new browsing context, without opener or referrer. */
  href?: SafeHref;
}

export interface Handlers {
  click?: () => void;
  input?: (value: string) => void;
  change?: (checked: boolean) => void;
  /** The Escape key, pressed inside the element. */
  escape?: () => void;
}

export interface VNode {
  tag: Tag;
  attrs: Attrs;
  on: Handlers;
  children: Child[];
}
export type Child = VNode | string;
type ChildArg = Child | null | undefined | false | ReadonlyArray<Child | null | undefined | false>;

export function h(tag: Tag, attrs: Attrs & { on?: Handlers } = {}, ...children: ChildArg[]): VNode {
  const { on = {}, ...rest } = attrs;
  const flat: Child[] = [];
  for (const c of children) {
    if (Array.isArray(c)) {
      for (const inner of c) if (inner !== null && inner !== undefined && inner !== false) flat.push(inner);
    } else if (c !== null && c !== undefined && c !== false) flat.push(c as Child);
  }
  return { tag, attrs: rest, on, children: flat };
}

/** What mount needs from a document; tests pass a recording fake. */
export type DomDocument = Pick<Document, 'createElement' | 'createTextNode'>;

/** String attributes, by Attrs key, as they are named in the DOM. */
const STRING_ATTRIBUTES = {
  class: 'class',
  testid: 'data-testid',
  id: 'id',
  htmlFor: 'for',
  role: 'role',
  ariaLive: 'aria-live',
  ariaLabel: 'aria-label',
  ariaLabelledby: 'aria-labelledby',
  title: 'title',
  type: 'type',
  tabindex: 'tabindex',
} as const satisfies Partial<Record<keyof Attrs, string>>;

export interface Mounted {
  node: Node;
  /** Elements asked for focus (autofocus), to focus once attached. */
  focus: HTMLElement[];
}

export function mount(vnode: VNode, doc: DomDocument): Mounted {
  const focus: HTMLElement[] = [];
  const node = build(vnode, doc, focus);
  return { node, focus };
}

function build(vnode: VNode, doc: DomDocument, focus: HTMLElement[]): HTMLElement {
  const el = doc.createElement(vnode.tag);
  const a = vnode.attrs;
  for (const [key, name] of Object.entries(STRING_ATTRIBUTES) as Array<[keyof typeof STRING_ATTRIBUTES, string]>) {
    const value = a[key];
    if (value !== undefined) el.setAttribute(name, value);
  }
  if (a.href !== undefined) {
    el.setAttribute('href', a.href);
    el.setAttribute('rel', 'noopener noreferrer');
    el.setAttribute('target', '_blank');
  }
  if (a.disabled) el.setAttribute('disabled', '');
  if (a.rows !== undefined) el.setAttribute('rows', String(a.rows));
  if (a.checked !== undefined) (el as HTMLInputElement).checked = a.checked;
  if (a.value !== undefined) (el as HTMLTextAreaElement).value = a.value;
  if (a.autofocus) focus.push(el);

  const on = vnode.on;
  if (on.click) {
    const click = on.click;
    el.addEventListener('click', (event) => {
      event.preventDefault();
      click();
    });
  }
  if (on.input) {
    const input = on.input;
    el.addEventListener('input', () => input((el as HTMLTextAreaElement).value));
  }
  if (on.change) {
    const change = on.change;
    el.addEventListener('change', () => change((el as HTMLInputElement).checked));
  }
  if (on.escape) {
    const escape = on.escape;
    el.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Escape') {
        event.preventDefault();
        escape();
      }
    });
  }
  for (const child of vnode.children) {
    el.appendChild(typeof child === 'string' ? doc.createTextNode(child) : build(child, doc, focus));
  }
  return el;
}
