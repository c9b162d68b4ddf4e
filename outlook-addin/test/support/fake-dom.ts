import { mount, type DomDocument, type VNode } from '../../src/render/h';

/**
 * A minimal document for running the pane's DOM code in Node (jsdom is not installed). It records
 * what the pane does and refuses every HTML-parsing API: if pane code ever reached for innerHTML,
 * outerHTML, insertAdjacentHTML or document.write, the test would throw.
 */
export class FakeNode {
  parent: FakeElement | undefined;
}

export class FakeText extends FakeNode {
  constructor(readonly data: string) {
    super();
  }
}

const refuse = (api: string) => () => {
  throw new Error(`pane code used ${api}`);
};

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly children: FakeNode[] = [];
  readonly listeners = new Map<string, Array<(event: { preventDefault(): void }) => void>>();
  value = '';
  checked = false;
  focused = false;

  constructor(readonly tagName: string) {
    super();
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  appendChild(child: FakeNode): FakeNode {
    child.parent = this;
    this.children.push(child);
    return child;
  }
  replaceChildren(...nodes: FakeNode[]): void {
    this.children.length = 0;
    for (const n of nodes) this.appendChild(n);
  }
  addEventListener(type: string, listener: (event: { preventDefault(): void }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  focus(): void {
    this.focused = true;
  }
  /** Fires listeners the way a browser would for a click, input or change. */
  fire(type: 'click' | 'input' | 'change' | 'keydown', init: { key?: string } = {}): void {
    for (const l of this.listeners.get(type) ?? []) l({ ...init, preventDefault() {} } as { preventDefault(): void });
  }
  get textContent(): string {
    return this.children.map((c) => (c instanceof FakeText ? c.data : c instanceof FakeElement ? c.textContent : '')).join('');
  }
  set innerHTML(_v: string) {
    refuse('innerHTML')();
  }
  set outerHTML(_v: string) {
    refuse('outerHTML')();
  }
  insertAdjacentHTML = refuse('insertAdjacentHTML');
}

export interface FakeDocument {
  doc: DomDocument;
  created: FakeElement[];
}

export function fakeDocument(): FakeDocument {
  const created: FakeElement[] = [];
  const fake = {
    createElement(tag: string) {
      const el = new FakeElement(tag);
      created.push(el);
      return el;
    },
    createTextNode: (data: string) => new FakeText(data),
    write: refuse('document.write'),
  };
  return { doc: fake as unknown as DomDocument, created };
}

/** Every element under (and including) `root`, depth first. */
export function elements(root: FakeNode): FakeElement[] {
  if (!(root instanceof FakeElement)) return [];
  return [root, ...root.children.flatMap(elements)];
}

export function texts(root: FakeNode): string[] {
  if (root instanceof FakeText) return [root.data];
  return root instanceof FakeElement ? root.children.flatMap(texts) : [];
}

export function byTestId(root: FakeNode, id: string): FakeElement | undefined {
  return elements(root).find((e) => e.getAttribute('data-testid') === id);
}

export function button(root: FakeNode, label: string): FakeElement {
  const found = elements(root).find((e) => e.tagName === 'button' && e.textContent === label);
  if (!found) throw new Error(`no button "${label}" in: ${elements(root).filter((e) => e.tagName === 'button').map((e) => e.textContent).join(' | ')}`);
  return found;
}

/** Mounts a view into a fresh fake document; the root is the fake element mount built. */
export function mountFake(vnode: VNode): { root: FakeElement; created: FakeElement[] } {
  const { doc, created } = fakeDocument();
  const { node } = mount(vnode, doc);
  return { root: node as unknown as FakeElement, created };
}
