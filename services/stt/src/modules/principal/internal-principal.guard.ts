import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, hasScope, INTERNAL_PRINCIPAL_HEADER } from '@parley/contracts';
import { InternalTokens, RequestContext } from '@parley/observability';
import { principalFromClaims, type PrincipalRequest } from './stt-principal';

/**
 * Every stt route needs the signed principal token the gateway minted for the request (401
 * `invalid_principal` otherwise); an API key also needs the `stt:write` scope (403
 * `insufficient_scope`; the gateway checks it too). The tenant and user go into the request context.
 */
@Injectable()
export class InternalPrincipalGuard implements CanActivate {
  constructor(private readonly tokens: InternalTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<PrincipalRequest>();
    const claims = await this.tokens.verifyPrincipal(request.header(INTERNAL_PRINCIPAL_HEADER));
    const principal = principalFromClaims(claims);
    if (principal.kind === 'api-key' && !hasScope(principal.scopes, 'stt:write')) {
      throw new DomainException(ErrorCode.InsufficientScope, 'This API key lacks the stt:write scope');
    }
    request.principal = principal;
    RequestContext.assign({ tenantId: principal.tenantId, userId: principal.userId ?? undefined });
    return true;
  }
}
