import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { buildOpenApiPaths, chatStreamEventSchema, PUBLIC_ROUTES } from '@parley/contracts';
import { ASYNCAPI_PATH, buildAsyncApiDocument } from './asyncapi-document';
import { ProblemDto } from './dtos/problem.dto';

export const API_DOCS_PATH = 'api/docs';

const DESCRIPTION =
  'The public API of Parley, through the gateway. Authenticate with `Authorization: Bearer <access token>` ' +
  '(from /api/v1/auth/sign-in) or an API key (`Authorization: Bearer pk_…` or `X-API-Key`; routes name the scope ' +
  'a key needs, else 403 insufficient_scope). The tenant always comes from the credential; an X-Tenant-ID header is ' +
  'refused. Every answer carries x-request-id and, on /api routes, RateLimit-Limit/Remaining/Reset; errors are ' +
  '`{ "error": { "code", "message", "requestId" } }`.\n\n' +
  '**Streaming.** `POST /api/v1/conversations/{id}/messages` with `Accept: text/event-stream` answers with ' +
  'Server-Sent Events (`event: <type>`, `id: <seq>`, `data: <ChatStreamEvent JSON>`; schemas under ' +
  'components: ChatStreamEvent); closing the connection stops the answer.\n\n' +
  `**WebSocket \`/ws\`** — described in full by the AsyncAPI 3.0 document at [${ASYNCAPI_PATH}](${ASYNCAPI_PATH}). ` +
  'Send the access token (or a `pk_…` API key) as `Sec-WebSocket-Protocol: bearer, <token>` ' +
  '(the server answers with the `bearer` subprotocol) or as `?access_token=`. A refused upgrade is an HTTP ' +
  'problem answer: 401 (credentials), 400 (X-Tenant-ID sent), 403 (Origin not allowed, or tenant suspended), ' +
  '429 (more than 10 sockets for one user or key). Frames are JSON text of at most 64 KiB (larger: close 1009). ' +
  'The server first sends `{ "type": "session.ready", "tenantId", "userId", "kind", "expiresAt" }`; ' +
  '`{ "type": "ping" }` is answered `{ "type": "pong" }`; ' +
  '`{ "type": "message.send", "requestId"?, "conversationId", "content", "model"? }` streams the answer back as ' +
  'ChatStreamEvent frames (a refusal: one `error` frame), `{ "type": "message.stop", "conversationId" }` stops ' +
  'it; anything else gets `{ "type": "error", "code": "unknown_message" | "malformed_message" }`. The socket ' +
  'closes with 4401 `token_expired` when the access token expires (reconnect with a fresh one).';

/**
 * The public API's OpenAPI document: Swagger UI at /api/docs, JSON at /api/docs-json, and the
 * AsyncAPI document of the WebSocket at /api/docs/asyncapi.json (public, like the OpenAPI JSON).
 * The forwarded routes are generated from the route table (PUBLIC_ROUTES, zod → JSON Schema); the
 * gateway's own routes (`/api/v1/me`, `/tenant`, `/health`) from their decorators. Every route
 * documents its answers; errors all use the one problem schema.
 */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Parley API')
    .setVersion('1')
    .setDescription(DESCRIPTION)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  const routes = buildOpenApiPaths(PUBLIC_ROUTES);
  Object.assign(schemas, routes.schemas);
  for (const [path, operations] of Object.entries(routes.paths)) {
    document.paths[path] = { ...document.paths[path], ...operations };
  }
  schemas.ChatStreamEvent = z.toJSONSchema(chatStreamEventSchema, { target: 'openapi-3.0' }) as never;
  app
    .getHttpAdapter()
    .get(ASYNCAPI_PATH, (req: FastifyRequest, reply: FastifyReply) =>
      reply.send(buildAsyncApiDocument(req.headers.host ?? 'localhost', req.protocol === 'https')),
    );
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
