import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { IncomingHttpHeaders } from 'node:http';
import { SERVICE_CREDENTIAL_HEADER } from '@parley/contracts';
import { InternalTokens } from './internal-tokens';

/** A controller path such as `internal/tenants/:tenantId` (Nest strips no slash; Express ignores case). */
const INTERNAL_PATH = /^\/?internal(?:\/|$)/i;

/**
 * Installed on every service (APP_GUARD of the observability module): a route of a controller
 * mounted under `internal/` answers only another Parley service, which proves itself with a
 * service credential (`x-parley-service`, signed under the internal-auth secret); anyone else gets
 * 401 `invalid_service_credential`. Keyed on the controller's declared path, not the request URL,
 * so no spelling of the URL (case, encoding) reaches such a route without it.
 */
@Injectable()
export class InternalRouteGuard implements CanActivate {
  constructor(private readonly tokens: InternalTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const paths = Reflect.getMetadata(PATH_METADATA, context.getClass()) as string | string[] | undefined;
    const internal = [paths ?? []].flat().some((path) => INTERNAL_PATH.test(path));
    if (!internal) return true;
    // Express requests and Fastify requests both carry Node's lower-cased headers.
    const { headers } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    const credential = headers[SERVICE_CREDENTIAL_HEADER];
    await this.tokens.verifyServiceCredential(Array.isArray(credential) ? credential[0] : credential);
    return true;
  }
}
