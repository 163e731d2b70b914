/**
 * Bearer-token authentication and the authorization hook. Like kube-apiserver's
 * system:public-info-viewer role, health checks and /version answer anyone; everything
 * else needs a valid token.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { StatusError } from '@tkube/api';
import type { Route } from './router.js';

export type Authenticate = (token: string | undefined) => { user: string } | undefined;

export interface RequestUser {
  user: string;
}

export function isPublic(route: Route): boolean {
  return route.type === 'health' || route.type === 'version';
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match ? match[1] : undefined;
}

export function authenticateRequest(headers: IncomingHttpHeaders, authenticate: Authenticate): RequestUser {
  const identity = authenticate(bearerToken(headers));
  if (!identity) throw StatusError.unauthorized();
  return identity;
}

export interface AuthorizationAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/**
 * Decides whether a user may do what a request asks. Everyone may do everything until
 * RBAC arrives; the hook is where it will plug in (throwing StatusError.forbidden).
 */
export function authorize(_user: RequestUser, _attributes: AuthorizationAttributes): void {}
