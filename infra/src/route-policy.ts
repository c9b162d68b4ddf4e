import { PRINCIPALS, type Principal } from '@pm-agent/shared';
import { ROUTES } from '@pm-agent/backend/api/routes';

/**
 * The backend's route table, as API Gateway sees it. One source of truth: the same table the app
 * dispatches on becomes the API's resources, their authorisation, and each principal's
 * execute-api:Invoke policy. * (The local-only identity stand-ins live in dev-stack, outside this table.)
 */
export interface GatewayRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway resource path: `/v1/suggestions/{id}`. */
  resourcePath: string;
  /** The path in an execute-api ARN: `/v1/suggestions/*`. */
  arnPath: string;
  access: 'public' | readonly Principal[];
}

export const GATEWAY_ROUTES: readonly GatewayRoute[] = ROUTES.map((r) => ({
  method: r.method,
  resourcePath: r.path.replace(/:(\w+)/g, '{$1}'),
  arnPath: r.path.replace(/:\w+/g, '*'),
  access: r.access,
}));

/** `GET/v1/suggestions/*`: the tail of an execute-api ARN after `<api-id>/<stage>/`. */
export function invokeTail(r: GatewayRoute): string {
  return `${r.method}${r.arnPath}`;
}

/** For each principal, the routes it may invoke (public routes need no grant). */
export function routesOf(principal: Principal): GatewayRoute[] {
  return GATEWAY_ROUTES.filter((r) => r.access !== 'public' && r.access.includes(principal));
}

export const PRINCIPAL_ROUTES: Record<Principal, GatewayRoute[]> = Object.fromEntries(PRINCIPALS.map((p) => [p, routesOf(p)])) as Record<Principal, GatewayRoute[]>;
