import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { principalFromHeaders, type PrincipalRequest } from './chat-principal';

/**
 * Every chat controller carries `@UseGuards(InternalPrincipalGuard)`: the route needs the principal
 * the gateway verified (internal headers). It is set on the request, and its tenant and user in the
 * request context, which tenant data access requires. (Not an APP_GUARD: health and metrics stay open.)
 */
@Injectable()
export class InternalPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<PrincipalRequest>();
    const principal = principalFromHeaders(request);
    if (!principal) {
      throw new DomainException(ErrorCode.AuthenticationRequired, 'Missing or malformed internal principal headers');
    }
    request.principal = principal;
    RequestContext.assign({ tenantId: principal.tenantId, userId: principal.userId ?? undefined });
    return true;
  }
}
