import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { ConsentController } from './consent.controller';
import { ConsentRepository } from './consent.repository';
import { Forwarder } from './forwarder';
import { analyticsSinkProvider } from './sinks/sink.provider';
import { GetConsentUseCase } from './usecases/get-consent/get-consent.usecase';
import { SetConsentUseCase } from './usecases/set-consent/set-consent.usecase';

/** Product analytics to PostHog or Mixpanel, per-tenant consent, bounded and counted. */
@Module({
  imports: [AuditLogModule],
  controllers: [ConsentController],
  providers: [ConsentRepository, Forwarder, analyticsSinkProvider, GetConsentUseCase, SetConsentUseCase],
  exports: [Forwarder],
})
export class ForwardingModule {}
