import { Controller, Inject, RequestMapping, RequestMethod, Req, Res, SetMetadata, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toRouterPath, type HttpMethod, type PublicRoute } from '@parley/contracts';
import { Public } from '../auth/public.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { RateLimitBy } from '../rate-limit/rate-limit-class';
import { forwardHttp } from './route-relay';
import { ForwardRouteUseCase } from './usecases/forward-route/forward-route.usecase';

const METHODS: Record<HttpMethod, RequestMethod> = {
  GET: RequestMethod.GET,
  POST: RequestMethod.POST,
  PUT: RequestMethod.PUT,
  PATCH: RequestMethod.PATCH,
  DELETE: RequestMethod.DELETE,
};

/** The route a handler of the generated controller forwards (read by tests and guards). */
export const PUBLIC_ROUTE = 'parley:public-route';

/**
 * One NestJS controller whose handlers are generated from the route table: per route, its method
 * and path, `@Public()` or the API-key scope it needs, and its rate-limit class, so the global
 * guards (authentication, scope, tenant status, rate limits) apply exactly as to a hand-written
 * handler; each handler forwards its route. Documented by the table (excluded from Swagger's scan).
 */
export function publicRoutesController(routes: readonly PublicRoute[]): Type<unknown> {
  @ApiExcludeController()
  @Controller()
  class PublicRoutesController {
    constructor(@Inject(ForwardRouteUseCase) readonly forward: ForwardRouteUseCase) {}
  }
  const prototype = PublicRoutesController.prototype as unknown as Record<string, unknown>;
  routes.forEach((route, index) => {
    const name = `route${index}`;
    prototype[name] = function (this: PublicRoutesController, req: FastifyRequest, res: FastifyReply): Promise<void> {
      return forwardHttp(this.forward, route, req, res);
    };
    Object.defineProperty(prototype[name], 'name', { value: route.id });
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name) as PropertyDescriptor;
    const decorators: MethodDecorator[] = [
      RequestMapping({ path: toRouterPath(route.path), method: METHODS[route.method] }),
      SetMetadata(PUBLIC_ROUTE, route),
      RateLimitBy(route.rateLimit),
    ];
    if (route.access.kind === 'public') decorators.push(Public());
    else if (route.access.scope) decorators.push(RequireScope(route.access.scope));
    for (const decorate of decorators) decorate(prototype, name, descriptor);
    Req()(prototype, name, 0);
    Res()(prototype, name, 1);
  });
  return PublicRoutesController;
}
