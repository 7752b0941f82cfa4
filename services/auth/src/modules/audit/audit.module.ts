import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuditTrail } from './audit-trail';
import { RequestOriginMiddleware } from './request-origin';

/** The audit trail of admin actions, for every feature module; keeps each request's origin for it. */
@Global()
@Module({ providers: [AuditTrail], exports: [AuditTrail] })
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestOriginMiddleware).forRoutes('{*path}');
  }
}
