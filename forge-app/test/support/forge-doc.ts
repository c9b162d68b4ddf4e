/**
 * Runs a UI Kit page the way Jira does, minus the browser: the page's bundle entry is loaded with
 * `globalThis.__bridge.callBridge` in place. @forge/react sends every rendered tree ('reconcile',
 * the ForgeDoc, with function props still callable), @forge/bridge sends 'invoke' (answered here
 * by the real resolver definitions with a realistic Forge context) and 'getContext'.
 */

import { RESOLVER_NAMES, type ResolverName } from '../../src/common/contract';
import type { ForgeContext, ResolverDefinitions } from '../../src/resolvers';

export interface ForgeNode {
  type: string;
  props: Record<string, unknown>;
  children: ForgeNode[];
  key?: string;
}

type Invoke = (functionKey: string, payload: unknown) => Promise<unknown>;

/** Answers 'invoke' as Forge does: the resolver named by functionKey, with the page's own context. */
export function answerWith(defs: ResolverDefinitions, context: ForgeContext): Invoke {
  return async (functionKey, payload) => {
    if (!(RESOLVER_NAMES as string[]).includes(functionKey)) throw new Error(`Resolver has no definition for '${functionKey}'.`);
    return defs[functionKey as ResolverName]({ payload, context });
  };
}

export class PageSession {
  /** The page's root, as last reconciled (the same object @forge/react keeps mutating). */
  root: ForgeNode | undefined;
  /** The text of every reconciled tree, in order: what a person would have seen, frame by frame. */
  readonly frames: string[][] = [];
  readonly invokes: Array<{ functionKey: string; payload: unknown }> = [];
  readonly errors: unknown[] = [];
  /** Every bridge command the page used: what a host must answer. */
  readonly commands = new Set<string>();
  private closed = false;
  private inFlight = 0;

  constructor(
    private readonly answer: Invoke,
    private readonly viewContext: Record<string, unknown>,
  ) {}

  readonly callBridge = async (cmd: string, data?: unknown): Promise<unknown> => {
    this.commands.add(cmd);
    switch (cmd) {
      case 'reconcile': {
        const doc = (data as { forgeDoc: ForgeNode }).forgeDoc;
        // Pages of earlier tests share @forge/react's global lookup of the bridge: keep to our own root.
        this.root ??= doc;
        if (doc === this.root) this.frames.push(texts(doc));
        return undefined;
      }
      case 'invoke': {
        if (this.closed) throw new Error('this page session is closed');
        const { functionKey, payload } = data as { functionKey: string; payload: unknown };
        this.invokes.push({ functionKey, payload });
        this.inFlight += 1;
        try {
          // Forge serialises resolver answers on the way to the page.
          return JSON.parse(JSON.stringify(await this.answer(functionKey, payload))) as unknown;
        } finally {
          this.inFlight -= 1;
        }
      }
      case 'getContext':
        return this.viewContext;
      case 'onError':
        this.errors.push(data);
        return undefined;
      default:
        throw new Error(`unexpected bridge command ${cmd}`);
    }
  };

  /**
   * Waits until no resolver call is in flight (so the page has drawn its last answer), then
   * refuses further calls: a page left behind by a test cannot touch the next one.
   */
  async close(): Promise<void> {
    for (let quiet = 0; quiet < 3; quiet = this.inFlight ? 0 : quiet + 1) await new Promise((r) => setTimeout(r, 30));
    this.closed = true;
  }

  /** Waits until the current tree satisfies `probe`; fails with the visible text if it never does. */
  async until<T>(what: string, probe: (root: ForgeNode) => T | undefined | false | null, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = this.root ? probe(this.root) : undefined;
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the page shows:\n${this.root ? texts(this.root).join(' | ') : '(nothing)'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  untilText(text: string | RegExp, ms?: number): Promise<true> {
    return this.until(`"${String(text)}"`, (root) => hasText(root, text), ms);
  }
}

/** Loads a page's bundle entry in a fresh module registry, talking to `session`. */
export function openPage(entry: 'issue-panel' | 'admin-page', session: PageSession): PageSession {
  const g = globalThis as { self?: unknown; __bridge?: unknown };
  g.self = globalThis; // @forge/react reaches the bridge through `self`, as in a browser
  g.__bridge = { callBridge: session.callBridge };
  jest.isolateModules(() => {
    require(`../../src/frontend/${entry}`);
  });
  return session;
}

// ---- reading the tree -----------------------------------------------------------------------

export function walk(node: ForgeNode, visit: (n: ForgeNode) => void): void {
  visit(node);
  for (const c of node.children) walk(c, visit);
}

export function findAll(root: ForgeNode, pred: (n: ForgeNode) => boolean): ForgeNode[] {
  const out: ForgeNode[] = [];
  walk(root, (n) => pred(n) && out.push(n));
  return out;
}

/** Every text string in the tree, in order. */
export function texts(root: ForgeNode): string[] {
  const out: string[] = [];
  walk(root, (n) => {
    if (n.type === 'String' && typeof n.props.text === 'string') out.push(n.props.text);
  });
  return out;
}

export function textOf(node: ForgeNode): string {
  return texts(node).join('');
}

export function hasText(root: ForgeNode, text: string | RegExp): boolean {
  const all = texts(root);
  return typeof text === 'string' ? all.some((t) => t.includes(text)) : all.some((t) => text.test(t));
}

/** Nodes of a type whose prop has this value: SectionMessage titles, Tag texts and the like are props, not text. */
export function withProp(root: ForgeNode, type: string, prop: string, value: unknown): ForgeNode[] {
  return findAll(root, (n) => n.type === type && n.props[prop] === value);
}

export function byTestId(root: ForgeNode, testId: string): ForgeNode | undefined {
  return findAll(root, (n) => n.props.testId === testId)[0];
}

export function buttons(root: ForgeNode, label: string): ForgeNode[] {
  return findAll(root, (n) => n.type === 'Button' && textOf(n) === label);
}

/** The one button with this label (under `root`), or a failure that lists the buttons there are. */
export function button(root: ForgeNode, label: string): ForgeNode {
  const found = buttons(root, label);
  if (found.length !== 1) {
    const all = findAll(root, (n) => n.type === 'Button').map(textOf);
    throw new Error(`expected one "${label}" button, found ${found.length}; buttons: ${JSON.stringify(all)}`);
  }
  return found[0]!;
}

export function click(node: ForgeNode): void {
  if (node.props.isDisabled) throw new Error(`"${textOf(node)}" is disabled`);
  (node.props.onClick as () => void)();
}

/** Types into a TextArea or Textfield, as Forge delivers it: a serialised event with target.value. */
export function typeInto(node: ForgeNode, value: string): void {
  (node.props.onChange as (e: unknown) => void)({ type: 'change', target: { value } });
}

/**
 * The field with this id. @forge/react prefixes ids per app when it creates a node (and not again
 * when it updates one), so match the id itself or a prefixed one.
 */
export function field(root: ForgeNode, id: string): ForgeNode {
  const is = (v: unknown) => typeof v === 'string' && (v === id || v.endsWith(`-${id}`));
  const found = findAll(root, (n) => is(n.props.id) || is(n.props.inputId));
  if (found.length !== 1) throw new Error(`expected one field ${id}, found ${found.length}`);
  return found[0]!;
}

/**
 * The tree's data as JSON: everything but functions and the React elements @forge/react leaves in
 * updated nodes' props (their text is in the tree as String nodes anyway).
 */
export function serialised(root: ForgeNode): string {
  const isReactElement = (v: unknown) => typeof v === 'object' && v !== null && '$$typeof' in v;
  return JSON.stringify(root, (_k, v: unknown) => (typeof v === 'function' || isReactElement(v) ? undefined : v));
}
