import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { INTERNAL_PRINCIPAL_HEADER } from '@parley/contracts';
import { InternalTokens, RequestContext } from '@parley/observability';
import { principalFromClaims, type PrincipalRequest } from './chat-principal';

/**
 * Every chat controller carries `@UseGuards(InternalPrincipalGuard)`: the route needs the signed
 * principal token the gateway minted for this request (401 `invalid_principal` without one, or
 * with an altered, foreign or expired one). It is set on the request, and its tenant and user in
 * the request context, which tenant data access requires. (Not an APP_GUARD: health and metrics stay open.)
 */
@Injectable()
export class InternalPrincipalGuard implements CanActivate {
  constructor(private readonly tokens: InternalTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<PrincipalRequest>();
    const claims = await this.tokens.verifyPrincipal(request.header(INTERNAL_PRINCIPAL_HEADER));
    const principal = principalFromClaims(claims);
    request.principal = principal;
    RequestContext.assign({
      tenantId: principal.tenantId,
      userId: principal.userId ?? undefined,
      clientIp: claims.cip,
      userAgent: claims.cua,
    });
    return true;
  }
}
