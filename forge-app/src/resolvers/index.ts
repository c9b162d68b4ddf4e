import Resolver from '@forge/resolver';
import { RESOLVER_NAMES } from '../common/contract';
import type { ForgeContext } from './context';
import { resolverDefinitions } from './definitions';
import type { ResolverPorts } from './ports';

/**
 * A @forge/resolver Resolver with every resolver registered. Forge calls its getDefinitions()
 * handler with `{ call: { functionKey, payload }, context }` and the platform's own payload, from
 * which @forge/resolver takes the verified accountId into `context.accountId`.
 */
export function buildResolver(ports: ResolverPorts): Resolver {
  const definitions = resolverDefinitions(ports);
  const resolver = new Resolver();
  for (const name of RESOLVER_NAMES) {
    resolver.define(name, (req: { payload: unknown; context: ForgeContext }) => definitions[name]({ payload: req.payload, context: req.context }));
  }
  return resolver;
}

export { resolverDefinitions } from './definitions';
export type { ResolverDefinitions, ResolverFn } from './definitions';
export type { ForgeContext, ResolverRequest } from './context';
export type { ResolverPorts } from './ports';
export { STORAGE_KEYS } from './ports';
