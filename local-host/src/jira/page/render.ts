import { handler, str, type ForgeDoc } from './forge-doc';

/**
 * Draws a ForgeDoc as DOM, the way Jira draws UI Kit: each component type maps to plain elements
 * (a table, not an if-chain). Text only ever goes in through textContent: the panel's strings,
 * including everything that came from email or the model, can never become markup here.
 * Component styling is approximate; behaviour (labels, buttons, inputs, events) is what matters.
 */
type Draw = (doc: ForgeDoc, kids: () => Node[]) => HTMLElement;

const el = (tag: string, cls: string, kids: Node[] = [], attrs: Record<string, string> = {}): HTMLElement => {
  const e = document.createElement(tag);
  e.className = cls;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
};

const inputEvent = (target: HTMLInputElement | HTMLTextAreaElement) => ({ target, currentTarget: target });

/** Inputs keep their DOM node across re-renders so typing is not lost; keyed by the element's props id or label. */
const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement>();

function textInput(doc: ForgeDoc, tag: 'input' | 'textarea'): HTMLElement {
  const id = str(doc.props, 'id') ?? str(doc.props, 'name') ?? str(doc.props, 'label') ?? str(doc.props, 'placeholder') ?? doc.key ?? tag;
  let node = inputs.get(id);
  if (!node || node.tagName.toLowerCase() !== tag) {
    node = document.createElement(tag) as HTMLInputElement | HTMLTextAreaElement;
    inputs.set(id, node);
  }
  node.className = `forge-${doc.type.toLowerCase()}`;
  node.id = id;
  const value = str(doc.props, 'value');
  if (value !== undefined && node.value !== value) node.value = value;
  const defaultValue = str(doc.props, 'defaultValue');
  if (defaultValue !== undefined && !node.dataset.touched) node.value = defaultValue;
  for (const a of ['placeholder', 'name', 'type'] as const) {
    const v = str(doc.props, a);
    if (v !== undefined) node.setAttribute(a, v);
  }
  if (doc.props.isDisabled) node.setAttribute('disabled', '');
  else node.removeAttribute('disabled');
  // Only a name the panel gave: a label the host invented would hide a missing <Label> (issue 14).
  const label = str(doc.props, 'label') ?? str(doc.props, 'aria-label');
  if (label) node.setAttribute('aria-label', label);
  else node.removeAttribute('aria-label');
  if (doc.props.autoFocus) node.dataset.autofocus = '1';
  else delete node.dataset.autofocus;
  if (doc.props.isInvalid) node.setAttribute('aria-invalid', 'true');
  else node.removeAttribute('aria-invalid');
  const onChange = handler(doc.props, 'onChange');
  const target = node;
  node.oninput = () => {
    target.dataset.touched = '1';
    onChange?.(inputEvent(target));
  };
  return node;
}

function button(doc: ForgeDoc, kids: () => Node[]): HTMLElement {
  const b = el('button', `forge-button forge-button-${str(doc.props, 'appearance') ?? 'default'}`, kids(), { type: 'button' });
  if (doc.props.isDisabled || doc.props.isLoading) b.setAttribute('disabled', '');
  if (doc.props.autoFocus) b.dataset.autofocus = '1';
  const onClick = handler(doc.props, 'onClick');
  b.addEventListener('click', (e) => {
    e.preventDefault();
    void onClick?.();
  });
  return b;
}

/** Links from the panel: shown with their full host; opening is a normal, explicit click in a new tab. */
function link(doc: ForgeDoc, kids: () => Node[]): HTMLElement {
  const href = str(doc.props, 'href') ?? '';
  let safe = '';
  let host = '';
  try {
    const u = new URL(href);
    if (u.protocol === 'https:' || u.protocol === 'http:') {
      safe = u.href;
      host = u.host;
    }
  } catch {
    /* not a URL: render as text */
  }
  if (!safe) return el('span', 'forge-link-refused', kids());
  const a = el('a', 'forge-link', kids(), { href: safe, target: '_blank', rel: 'noopener noreferrer' });
  a.append(el('span', 'forge-link-host', [document.createTextNode(` (${host})`)]));
  return a;
}

function select(doc: ForgeDoc): HTMLElement {
  const s = document.createElement('select');
  s.className = 'forge-select';
  const options = (doc.props.options as Array<{ label: string; value: string }> | undefined) ?? [];
  const current = doc.props.value as { value?: string } | undefined;
  for (const o of options) {
    const opt = document.createElement('option');
    opt.value = String(o.value);
    opt.textContent = String(o.label);
    if (current?.value === o.value) opt.selected = true;
    s.append(opt);
  }
  // UI Kit's Select puts inputId on its input, which <Label labelFor> names; the host names nothing itself.
  const id = str(doc.props, 'inputId') ?? str(doc.props, 'id');
  if (id) s.id = id;
  const label = str(doc.props, 'label') ?? str(doc.props, 'aria-label');
  if (label) s.setAttribute('aria-label', label);
  if (doc.props.isDisabled) s.setAttribute('disabled', '');
  const onChange = handler(doc.props, 'onChange');
  s.addEventListener('change', () => onChange?.(options.find((o) => String(o.value) === s.value)));
  return s;
}

function toggle(doc: ForgeDoc): HTMLElement {
  const i = document.createElement('input');
  i.type = 'checkbox';
  i.className = `forge-${doc.type.toLowerCase()}`;
  i.checked = Boolean(doc.props.isChecked ?? doc.props.defaultChecked);
  const id = str(doc.props, 'id');
  if (id) i.id = id;
  const label = str(doc.props, 'label') ?? str(doc.props, 'aria-label');
  if (label) i.setAttribute('aria-label', label);
  if (doc.props.isDisabled) i.setAttribute('disabled', '');
  const onChange = handler(doc.props, 'onChange');
  i.addEventListener('change', () => onChange?.({ target: i, currentTarget: i }));
  return i;
}

/**
 * DynamicTable arrives as @forge/react sends it: ContentWrapper "head" holding Cells, and
 * ContentWrapper "rows" holding Rows of Cells, each Cell's content already a ForgeDoc.
 */
function table(doc: ForgeDoc): HTMLElement {
  const part = (name: string) => doc.children.find((c) => c.type === 'ContentWrapper' && c.props.name === name)?.children ?? [];
  const cell = (tag: 'th' | 'td', c: ForgeDoc) => el(tag, '', c.children.map(draw));
  const rows = part('rows');
  const t = el('table', 'forge-table', [
    el('thead', '', [el('tr', '', part('head').map((c) => cell('th', c)))]),
    el('tbody', '', rows.map((r) => el('tr', '', r.children.map((c) => cell('td', c))))),
  ]);
  const caption = str(doc.props, 'caption');
  if (caption) t.prepend(el('caption', '', [document.createTextNode(caption)]));
  return t;
}

/** Jira's user picker, over the local host's known users (the page lists them in data-users). */
function userPicker(doc: ForgeDoc): HTMLElement {
  const users = JSON.parse(document.body.dataset.users ?? '[]') as Array<{ id: string; name: string }>;
  const s = document.createElement('select');
  s.className = 'forge-userpicker';
  s.setAttribute('aria-label', str(doc.props, 'label') ?? 'User');
  const none = document.createElement('option');
  none.value = '';
  none.textContent = str(doc.props, 'placeholder') ?? 'Pick a user';
  s.append(none);
  // The account the picker starts on (defaultValue), as Jira shows it: by name, or as an unknown user.
  const chosen = str(doc.props, 'defaultValue');
  const listed = chosen && !users.some((u) => u.id === chosen) ? [...users, { id: chosen, name: 'Unknown user' }] : users;
  for (const u of listed) {
    const o = document.createElement('option');
    o.value = u.id;
    o.textContent = u.name;
    if (u.id === chosen) o.selected = true;
    s.append(o);
  }
  const name = str(doc.props, 'name');
  if (name) s.name = name;
  const onChange = handler(doc.props, 'onChange');
  s.addEventListener('change', () => {
    const u = users.find((x) => x.id === s.value);
    if (u) onChange?.({ id: u.id, name: u.name, type: 'user' });
  });
  return s;
}

const block = (cls: string): Draw => (_d, kids) => el('div', cls, kids());
const inline = (tag: string, cls: string): Draw => (_d, kids) => el(tag, cls, kids());

const DRAW: Record<string, Draw> = {
  Stack: block('forge-stack'),
  Inline: block('forge-inline'),
  Box: block('forge-box'),
  Text: inline('p', 'forge-text'),
  Strong: inline('strong', ''),
  Em: inline('em', ''),
  Code: inline('code', ''),
  CodeBlock: (d) => el('pre', 'forge-code-block', [document.createTextNode(str(d.props, 'text') ?? '')]),
  Heading: (d, kids) => el(`h${Math.min(6, Math.max(1, Number(str(d.props, 'as')?.replace('h', '') ?? 3)))}`, 'forge-heading', kids()),
  Button: button,
  LoadingButton: button,
  ButtonGroup: block('forge-button-group'),
  Link: link,
  Lozenge: (d, kids) => el('span', `forge-lozenge forge-lozenge-${str(d.props, 'appearance') ?? 'default'}`, kids()),
  Tag: (d, kids) => el('span', 'forge-tag', d.props.text !== undefined ? [document.createTextNode(String(d.props.text))] : kids()),
  Badge: inline('span', 'forge-badge'),
  Spinner: (d) => el('span', 'forge-spinner', [document.createTextNode(str(d.props, 'label') ?? 'Loading…')], { role: 'status' }),
  SectionMessage: (d, kids) => {
    const title = str(d.props, 'title');
    // The title as an h2: a level that cannot skip past the panels' own headings (h2 sections, h3 cards).
    return el('section', `forge-section-message forge-section-message-${str(d.props, 'appearance') ?? 'information'}`, [...(title ? [el('h2', 'forge-section-message-title', [document.createTextNode(title)])] : []), ...kids()], { role: 'note' });
  },
  SectionMessageAction: inline('div', 'forge-section-message-action'),
  Label: (d, kids) => el('label', 'forge-label', kids(), str(d.props, 'labelFor') ? { for: str(d.props, 'labelFor')! } : {}),
  HelperMessage: inline('div', 'forge-helper'),
  ErrorMessage: inline('div', 'forge-error'),
  ValidMessage: inline('div', 'forge-valid'),
  RequiredAsterisk: () => el('span', 'forge-required', [document.createTextNode('*')]),
  TextArea: (d) => textInput(d, 'textarea'),
  Textfield: (d) => textInput(d, 'input'),
  Select: select,
  Toggle: toggle,
  Checkbox: toggle,
  DynamicTable: table,
  UserPicker: userPicker,
  List: inline('ul', 'forge-list'),
  ListItem: inline('li', ''),
  User: (d) => {
    const id = str(d.props, 'accountId') ?? '';
    const known = (JSON.parse(document.body.dataset.users ?? '[]') as Array<{ id: string; name: string }>).find((u) => u.id === id);
    // Jira shows a person's name, never their account id.
    return el('span', 'forge-user', [document.createTextNode(known ? known.name : 'Unknown user')]);
  },
  Form: (d, kids) => {
    const f = el('form', 'forge-form', kids());
    const onSubmit = handler(d.props, 'onSubmit');
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      void onSubmit?.(e);
    });
    return f;
  },
  FormHeader: block('forge-form-header'),
  FormSection: block('forge-form-section'),
  FormFooter: block('forge-form-footer'),
};

export function draw(doc: ForgeDoc): Node {
  if (doc.type === 'String') return document.createTextNode(String(doc.props.text ?? ''));
  const kids = () => doc.children.map(draw);
  const drawer = DRAW[doc.type];
  const node = drawer ? drawer(doc, kids) : el('div', 'forge-unknown', kids(), { 'data-forge-type': doc.type });
  if (node instanceof HTMLElement) node.dataset.forgeType = doc.type;
  const testId = str(doc.props, 'testId');
  if (testId && node instanceof HTMLElement) node.dataset.testid = testId;
  return node;
}

/**
 * Which element this is, across redraws: Jira's React renderer keeps an element that is still
 * there, so the host finds the same one (same card, same kind, same label) and keeps focus on it.
 */
function focusKey(e: Element): string {
  const card = e.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
  return `${card}|${e.tagName}|${e.id}|${e.tagName === 'BUTTON' ? e.textContent : ''}`;
}

let autofocused = new Set<string>();

/**
 * Replaces the panel's DOM with the new tree. Focus stays on the element that still exists; an
 * element the panel newly marks autoFocus takes it (as React's autoFocus does when it mounts).
 */
export function renderInto(root: HTMLElement, doc: ForgeDoc): void {
  const focused = document.activeElement;
  const key = focused instanceof HTMLElement && root.contains(focused) ? focusKey(focused) : undefined;
  root.replaceChildren(...doc.children.map(draw));
  const marked = [...root.querySelectorAll<HTMLElement>('[data-autofocus]')];
  const keys = new Set(marked.map(focusKey));
  const fresh = marked.find((e) => !autofocused.has(focusKey(e)));
  autofocused = keys;
  if (fresh) return fresh.focus();
  if (focused instanceof HTMLElement && root.contains(focused)) return focused.focus();
  if (key) [...root.querySelectorAll<HTMLElement>('button, input, textarea, select, a')].find((e) => focusKey(e) === key)?.focus();
}
