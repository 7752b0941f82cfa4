import { Module } from '@nestjs/common';
import { SsoPasswordGate } from './sso-password-gate';
import { SsoPolicyRepository } from './sso-policy.repository';

/** What every password entry point needs to honour "SSO required" (no dependencies of its own). */
@Module({
  providers: [SsoPolicyRepository, SsoPasswordGate],
  exports: [SsoPolicyRepository, SsoPasswordGate],
})
export class SsoPolicyModule {}
