import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainException, ErrorCode } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import type { VerifiedAccess } from './access-token.claims';
import { AccessTokens } from './access-tokens';

export type AuthenticatedRequest = Request & { access?: VerifiedAccess };

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

/**
 * Authenticates a request from `Authorization: Bearer <access token>`, verified with the same keys
 * the JWKS publishes, and records the verified user and tenant in the request context.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly tokens: AccessTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.header('authorization');
    if (!header) throw new DomainException(ErrorCode.AuthenticationRequired, 'A bearer access token is required');
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) throw new DomainException(ErrorCode.InvalidAccessToken, 'Authorization must be "Bearer <token>"');
    const access = await this.tokens.verify(token);
    request.access = access;
    RequestContext.assign({ tenantId: access.tenantId, userId: access.userId });
    return true;
  }
}
