/**
 * The ForgeDoc: what @forge/react's reconciler hands the host on every commit ('reconcile').
 * In the browser the tree is the same JS objects the panel holds, so function props (onClick,
 * onChange) stay callable.
 */
export interface ForgeDoc {
  type: string;
  key?: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}

export type Handler = (...args: unknown[]) => unknown;

export function handler(props: Record<string, unknown>, name: string): Handler | undefined {
  const h = props[name];
  return typeof h === 'function' ? (h as Handler) : undefined;
}

export function str(props: Record<string, unknown>, name: string): string | undefined {
  const v = props[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
