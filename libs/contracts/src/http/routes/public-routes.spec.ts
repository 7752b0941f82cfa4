import { describe, expect, it } from 'vitest';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated documents are asserted field by field
type Doc = any;
import { API_KEY_SCOPES } from '../../auth/api-key-scopes';
import { buildOpenApiPaths, PUBLIC_ROUTES, UPSTREAM_SERVICE_SPECS, type PublicRoute } from './index';

describe('the public route table', () => {
  it('declares each route once, with a known scope, service and a success answer', () => {
    expect(new Set(PUBLIC_ROUTES.map((r) => r.id)).size).toBe(PUBLIC_ROUTES.length);
    for (const route of PUBLIC_ROUTES) {
      expect(route.path, route.id).toMatch(/^\/[a-z0-9/{}._-]+$/i);
      expect(UPSTREAM_SERVICE_SPECS[route.upstream.service], route.id).toBeDefined();
      if (route.access.kind === 'authenticated' && route.access.scope) {
        expect(API_KEY_SCOPES, route.id).toContain(route.access.scope);
      }
      expect(route.rateLimit, route.id).toBe(route.access.kind === 'public' ? 'client' : 'principal');
      expect(route.responses.length, route.id).toBeGreaterThan(0);
    }
  });

  it('covers the members, API-key and invite routes one by one', () => {
    const ids = PUBLIC_ROUTES.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'members.list',
        'members.changeRole',
        'members.remove',
        'apiKeys.create',
        'invites.list',
      ]),
    );
  });
});

describe('the OpenAPI paths generated from the table', () => {
  const { paths, schemas } = buildOpenApiPaths(PUBLIC_ROUTES);
  const operationOf = (route: PublicRoute) => paths[route.path]?.[route.method.toLowerCase()] as Doc;

  it('has one operation per route, with its access, answers and problems', () => {
    for (const route of PUBLIC_ROUTES) {
      const op = operationOf(route);
      expect(op, route.id).toBeDefined();
      expect(op?.operationId).toBe(route.id);
      expect(op?.security).toEqual(route.access.kind === 'public' ? undefined : [{ bearer: [] }]);
      for (const answer of route.responses) expect(op?.responses[String(answer.status)], route.id).toBeDefined();
      for (const status of route.problems) {
        expect(op?.responses[String(status)].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/ProblemDto',
        });
      }
      if (route.request?.body?.encoding === 'json') {
        expect(op?.requestBody.content['application/json'].schema, route.id).toBeDefined();
      }
    }
    const count = Object.values(paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(count).toBe(PUBLIC_ROUTES.length);
  });

  it('turns the zod schemas into JSON schemas: bodies, query parameters and named answers', () => {
    const signUp = paths['/api/v1/auth/sign-up']?.post as Doc;
    expect(signUp.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['email', 'password', 'organizationSlug']),
    );
    const list = paths['/api/v1/conversations']?.get as Doc;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'cursor', 'q']);
    const send = paths['/api/v1/conversations/{id}/messages']?.post as Doc;
    expect(Object.keys(send.responses['200'].content)).toContain('text/event-stream');
    expect(send.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SendMessageResultDto',
    );
    expect((schemas.SendMessageResultDto as Doc).properties.assistantMessage).toBeDefined();
  });

  it('documents a raw (form) body as forwarded as-is', () => {
    const acs: PublicRoute = {
      id: 'sso.samlAcs',
      method: 'POST',
      path: '/api/v1/sso/saml/{connectionId}/acs',
      tag: 'sso',
      summary: 'SAML assertion consumer',
      access: { kind: 'public' },
      rateLimit: 'client',
      upstream: { service: 'auth', path: '/sso/saml/{connectionId}/acs' },
      request: {
        body: {
          encoding: 'raw',
          contentTypes: ['application/x-www-form-urlencoded'],
          description: 'SAMLResponse',
          maxBytes: 400_000,
        },
      },
      responses: [{ status: 302, description: 'To the app' }],
      problems: [400],
    };
    const op = buildOpenApiPaths([acs]).paths[acs.path]?.post as Doc;
    expect(Object.keys(op.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(op.parameters[0]).toMatchObject({ name: 'connectionId', in: 'path', required: true });
  });
});
