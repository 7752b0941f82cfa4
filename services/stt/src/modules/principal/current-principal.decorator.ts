import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { PrincipalRequest, SttPrincipal } from './stt-principal';

/** The principal InternalPrincipalGuard set on the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): SttPrincipal => {
  const principal = context.switchToHttp().getRequest<PrincipalRequest>().principal;
  if (!principal) throw new DomainException(ErrorCode.AuthenticationRequired, 'No verified principal');
  return principal;
});
