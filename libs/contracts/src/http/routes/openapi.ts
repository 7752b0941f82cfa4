import { z } from 'zod';
import { pathParams, type PublicRoute } from './public-route';

/** Paths and component schemas generated from the route table, to merge into an OpenAPI 3.0 document. */
export interface OpenApiFragment {
  paths: Record<string, Record<string, unknown>>;
  schemas: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDto' };
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid input (malformed JSON, unknown field, NUL byte, X-Tenant-ID header)',
  401: 'Missing, invalid or expired credentials (authentication_required, token_invalid, session_revoked)',
  403: 'Not allowed: role, API key scope (insufficient_scope), or tenant suspended (tenant_suspended)',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  415: 'Unsupported content type, charset or encoding',
  429: 'Rate limited (Retry-After and RateLimit-* headers say when to retry)',
  502: 'The LLM provider failed (provider_unavailable, provider_rejected)',
  503: 'A service behind the gateway is unavailable',
  504: 'A service behind the gateway did not answer in time',
};

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

function describeAccess(route: PublicRoute): string {
  if (route.access.kind === 'public') return 'No credential needed.';
  const parts = ['Needs an access token or an API key.'];
  if (route.access.scope) parts.push(`API keys need the scope \`${route.access.scope}\`.`);
  if (route.access.minRole) parts.push(`People need the role ${route.access.minRole} or above (owner).`);
  return parts.join(' ');
}

function operation(route: PublicRoute, schemas: Record<string, unknown>): Json {
  const ref = (schema: z.ZodType, name: string | undefined, io: 'input' | 'output'): Json => {
    if (!name) return schemaOf(schema, io);
    schemas[name] ??= schemaOf(schema, io);
    return { $ref: `#/components/schemas/${name}` };
  };
  const responses: Json = {};
  for (const answer of route.responses) {
    const content: Json = {};
    if (answer.schema) content['application/json'] = { schema: ref(answer.schema, answer.name, 'output') };
    if (route.streaming === 'sse' && answer.status === 200)
      content['text/event-stream'] = { schema: { type: 'string' } };
    responses[String(answer.status)] = {
      description: answer.description,
      ...(Object.keys(content).length > 0 ? { content } : {}),
    };
  }
  for (const status of route.problems) {
    responses[String(status)] = {
      description: PROBLEM_TEXT[status] ?? 'Error',
      content: { 'application/json': { schema: PROBLEM_REF } },
    };
  }
  const parameters: Json[] = pathParams(route.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: route.request?.params?.[name],
    schema: { type: 'string' },
  }));
  const query = route.request?.query;
  if (query) {
    const shape = schemaOf(query, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(shape.properties ?? {})) {
      parameters.push({ name, in: 'query', required: shape.required?.includes(name) ?? false, schema });
    }
  }
  const op: Json = {
    operationId: route.id,
    tags: [route.tag],
    summary: route.summary,
    description: [route.description, describeAccess(route)].filter(Boolean).join('\n\n'),
    parameters,
    responses,
    'x-parley-access': route.access,
    'x-parley-rate-limit': route.rateLimit,
    'x-parley-upstream': route.upstream.service,
  };
  if (route.access.kind !== 'public') op.security = [{ bearer: [] }];
  const body = route.request?.body;
  if (body?.encoding === 'json') {
    op.requestBody = {
      required: body.required ?? false,
      content: { 'application/json': { schema: ref(body.schema, undefined, 'input') } },
    };
  } else if (body?.encoding === 'raw') {
    op.requestBody = {
      required: true,
      description: body.description,
      content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: { type: 'string' } }])),
    };
  }
  return op;
}

/** The OpenAPI 3.0 paths (and named schemas) of these routes: one operation per route. */
export function buildOpenApiPaths(routes: readonly PublicRoute[]): OpenApiFragment {
  const paths: OpenApiFragment['paths'] = {};
  const schemas: Record<string, unknown> = {};
  for (const route of routes) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, schemas);
  }
  return { paths, schemas };
}
