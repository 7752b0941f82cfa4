import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainException, ErrorCode, SCIM_TOKEN_PREFIX } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { isOpaqueToken, sha256 } from '../../common/opaque-token';
import { ScimRepository } from './scim.repository';

type ScimRequest = Request & { scimTenantId?: string };

/**
 * Authenticates a SCIM client by its directory token (`Authorization: Bearer pscim_…`, stored as
 * sha256): the tenant is the token's, and only the token's. Anything else is 401.
 */
@Injectable()
export class ScimTokenGuard implements CanActivate {
  constructor(private readonly scim: ScimRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const token = /^Bearer\s+(\S+)$/i.exec(request.header('authorization')?.trim() ?? '')?.[1] ?? '';
    const tenantId = isOpaqueToken(SCIM_TOKEN_PREFIX, token)
      ? await this.scim.directoryByTokenHash(sha256(token))
      : null;
    if (!tenantId) throw new DomainException(ErrorCode.AuthenticationRequired, 'A valid SCIM bearer token is required');
    request.scimTenantId = tenantId;
    RequestContext.assign({ tenantId });
    return true;
  }
}

/** The tenant of the SCIM token (ScimTokenGuard); fails closed without one. */
export const ScimTenant = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const tenantId = context.switchToHttp().getRequest<ScimRequest>().scimTenantId;
  if (!tenantId) throw new DomainException(ErrorCode.AuthenticationRequired, 'A valid SCIM bearer token is required');
  return tenantId;
});
