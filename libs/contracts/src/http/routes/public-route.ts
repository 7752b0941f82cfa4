import type { z } from 'zod';
import type { ApiKeyScope } from '../../auth/api-key-scopes';
import type { Role } from '../../auth/roles';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The services behind the gateway that own public routes (their base URL is the gateway's config). */
export const UPSTREAM_SERVICES = ['auth', 'chat', 'billing', 'stt', 'analytics'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/**
 * Who may call a route.
 * - `public`: no credential (how one gets one: sign-in, sign-up, …), counted per client address;
 * - `authenticated`: an access token or an API key. `scope` is what an API key needs (else 403
 *   `insufficient_scope`; people are governed by roles). `minRole` documents the least role the
 *   owning service allows (it checks the current membership itself, never the token's role).
 */
export type RouteAccess = { kind: 'public' } | { kind: 'authenticated'; scope?: ApiKeyScope; minRole?: Role };

/**
 * What a request counts against at the gateway: `client` the client address (public routes),
 * `principal` the tenant and the user or API key, by plan.
 */
export type RateLimitClass = 'client' | 'principal';

/**
 * What the owning service is given to know who calls:
 * - `principal-token`: the gateway's signed internal principal (tenant, user, session, key, scopes,
 *   current role, request id), never the client's credential;
 * - `client-authorization`: the client's own `Authorization` header and its address as
 *   `x-forwarded-for` (the auth service verifies its own tokens and counts failed sign-ins).
 */
export type UpstreamCredential = 'principal-token' | 'client-authorization';

export interface UpstreamServiceSpec {
  credential: UpstreamCredential;
  /** Longest wait for the answer head of an ordinary call (connect included). */
  timeoutMs: number;
}

/**
 * The body a route takes: `json` (parsed and size/shape-bounded at the edge, re-serialised), or
 * `raw` (forwarded byte for byte with the client's content type: form posts such as a SAML ACS).
 */
export type RouteBody =
  | { encoding: 'json'; schema: z.ZodType; required?: boolean }
  | {
      encoding: 'raw';
      contentTypes: readonly string[];
      description: string;
      maxBytes: number;
      /** Client headers forwarded as sent, e.g. a signature over the raw bytes (`stripe-signature`). */
      forwardHeaders?: readonly string[];
    };

export interface RouteResponse {
  status: number;
  description: string;
  /** JSON body; absent for 204/202 without a body. */
  schema?: z.ZodType;
  /** A name for the schema in the OpenAPI components (shared by several routes). */
  name?: string;
}

/**
 * What the gateway does with the browser's session around this route (auth routes only): `issue`
 * moves a returned refresh token into the httpOnly cookie, `refresh` also reads it from there,
 * `end` clears it. Only with `x-parley-session: cookie`. `sso` (a single sign-on landing, whose
 * browser comes from the identity provider and sends no header): a successful answer becomes the
 * refresh cookie and a 303 to the app path it names (`redirectTo`); a refusal passes through.
 */
export type SessionCookieEffect = 'issue' | 'refresh' | 'end' | 'sso';

export interface PublicRoute {
  /** Unique and stable: the OpenAPI operationId and the parity test's name for it. */
  id: string;
  method: HttpMethod;
  /** The public path, OpenAPI style: `/api/v1/conversations/{id}` (any prefix: `/scim/v2/...`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: RouteAccess;
  rateLimit: RateLimitClass;
  upstream: {
    service: UpstreamService;
    /** The service's own path, with the same `{param}` names: `/conversations/{id}`. */
    path: string;
  };
  request?: {
    /** Descriptions of path parameters; each `{name}` of the path is a string parameter. */
    params?: Readonly<Record<string, string>>;
    /** Forwarded as sent; the service validates it (this schema documents it). */
    query?: z.ZodObject;
    body?: RouteBody;
  };
  /** The success answers (errors are all the one problem shape; see `problems`). */
  responses: readonly RouteResponse[];
  /** The problem statuses this route documents. */
  problems: readonly number[];
  /**
   * `sse`: with `Accept: text/event-stream` the answer is Server-Sent Events relayed as they come;
   * `awaited`: without SSE the answer comes once generated (a long deadline). Absent: ordinary.
   */
  streaming?: 'sse';
  session?: SessionCookieEffect;
  /** A successful call changed this path parameter's member (the gateway forgets its cached role). */
  changesMember?: string;
}

/** The `{name}` parameters of a path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)].map((m) => m[1] as string);
}

/** `/a/{id}/b` → `/a/:id/b` (Express and NestJS route syntax). */
export function toRouterPath(path: string): string {
  return path.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, ':$1');
}

/**
 * The upstream path of a route for these decoded parameter values, each percent-encoded again so
 * a value can never add a slash or leave its position; an empty, `.` or `..` value is refused (null).
 */
export function upstreamPathOf(route: PublicRoute, params: Readonly<Record<string, string>>): string | null {
  let refused = false;
  const path = route.upstream.path.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined || value === '' || value === '.' || value === '..') refused = true;
    return encodeURIComponent(value ?? '');
  });
  return refused ? null : path;
}

/** A route path's matcher (`{param}` is one segment), for the paths whose raw body is JSON. */
export function rawJsonPathPatterns(routes: readonly PublicRoute[]): RegExp[] {
  return routes.filter((route) => rawJsonBody(route)).map((route) => pathPattern(route.path));
}

/**
 * The upstream side of the same routes, for the service that serves them: its own paths and each
 * body's byte limit (the service keeps those bodies as bytes, e.g. to verify Stripe's signature).
 */
export function rawJsonUpstreamBodies(
  routes: readonly PublicRoute[],
  service: string,
): { path: RegExp; maxBytes: number }[] {
  return routes.flatMap((route) => {
    const body = rawJsonBody(route);
    return body && route.upstream.service === service
      ? [{ path: pathPattern(route.upstream.path), maxBytes: body.maxBytes }]
      : [];
  });
}

function rawJsonBody(route: PublicRoute): Extract<RouteBody, { encoding: 'raw' }> | null {
  const body = route.request?.body;
  return body?.encoding === 'raw' && body.contentTypes.includes('application/json') ? body : null;
}

function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
}
