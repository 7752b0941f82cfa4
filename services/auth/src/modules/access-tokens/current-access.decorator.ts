import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { VerifiedAccess } from './access-token.claims';
import type { AuthenticatedRequest } from './bearer-auth.guard';

/** The verified access of a route behind BearerAuthGuard. */
export const CurrentAccess = createParamDecorator((_: unknown, context: ExecutionContext): VerifiedAccess => {
  const access = context.switchToHttp().getRequest<AuthenticatedRequest>().access;
  if (!access) throw new DomainException(ErrorCode.AuthenticationRequired, 'A bearer access token is required');
  return access;
});
