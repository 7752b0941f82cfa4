import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from './dtos/problem.dto';

export const API_DOCS_PATH = 'api/docs';

/**
 * The public API's OpenAPI document: Swagger UI at /api/docs, JSON at /api/docs-json. Every route
 * documents its answers; errors all use the one problem schema; access tokens are bearer JWTs.
 */
export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Parley API')
    .setVersion('1')
    .setDescription(
      'The public API of Parley, through the gateway. Authenticate with `Authorization: Bearer <access token>` ' +
        '(from /api/v1/auth/sign-in). The tenant always comes from the token; an X-Tenant-ID header is refused. ' +
        'Every answer carries x-request-id and, on /api routes, RateLimit-Limit/Remaining/Reset; errors are ' +
        '`{ "error": { "code", "message", "requestId" } }`.\n\n' +
        '**WebSocket `/ws`.** Send the access token (or a `pk_…` API key) as `Sec-WebSocket-Protocol: bearer, <token>` ' +
        '(the server answers with the `bearer` subprotocol) or as `?access_token=`. A refused upgrade is an HTTP ' +
        'problem answer: 401 (credentials), 400 (X-Tenant-ID sent), 403 (Origin not allowed, or tenant suspended), ' +
        '429 (more than 10 sockets for one user or key). Frames are JSON text of at most 64 KiB (larger: close 1009). ' +
        'The server first sends `{ "type": "session.ready", "tenantId", "userId", "kind", "expiresAt" }`; ' +
        '`{ "type": "ping" }` is answered `{ "type": "pong" }`; anything else gets ' +
        '`{ "type": "error", "code": "unknown_message" | "malformed_message" }`. The socket closes with 4401 ' +
        '`token_expired` when the access token expires (reconnect with a fresh one).',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
