import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException, ErrorCode } from '@parley/contracts';
import { principalOf, type Principal } from './principal';

/** The verified principal of the request; fails closed if a route without one asks for it. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = principalOf(ctx.switchToHttp().getRequest<FastifyRequest>());
  if (!principal) throw new DomainException(ErrorCode.AuthenticationRequired, 'Authentication required');
  return principal;
});
