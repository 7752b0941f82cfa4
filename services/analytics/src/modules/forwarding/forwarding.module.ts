import { Module } from '@nestjs/common';
import { AuditLogModule } from '../audit-log/audit-log.module';
import { ConsentController } from './consent.controller';
import { ForwarderModule } from './forwarder.module';
import { GetConsentUseCase } from './usecases/get-consent/get-consent.usecase';
import { SetConsentUseCase } from './usecases/set-consent/set-consent.usecase';

/** Product analytics to PostHog or Mixpanel: the per-tenant consent routes (switching is audited). */
@Module({
  imports: [AuditLogModule, ForwarderModule],
  controllers: [ConsentController],
  providers: [GetConsentUseCase, SetConsentUseCase],
})
export class ForwardingModule {}
