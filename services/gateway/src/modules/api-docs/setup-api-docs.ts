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
        '`{ "error": { "code", "message", "requestId" } }`.',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  SwaggerModule.setup(API_DOCS_PATH, app, document, { jsonDocumentUrl: `${API_DOCS_PATH}-json` });
}
