import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import type { AnalyticsConsent } from '@parley/contracts';
import type { AnalyticsPrincipal } from '../../../principal/analytics-principal';
import { assertMayReadAudit } from '../../../audit-log/audit-access';
import { ConsentRepository } from '../../consent.repository';

/** The tenant's analytics consent as it applies now (owners and admins). */
@Injectable()
export class GetConsentUseCase {
  constructor(
    private readonly consent: ConsentRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(principal: AnalyticsPrincipal): Promise<AnalyticsConsent> {
    assertMayReadAudit(principal);
    const forwarding = this.config.analytics!.forwarding;
    const chosen = await this.consent.read();
    return {
      enabled: chosen ?? forwarding.consentByDefault,
      source: chosen === null ? 'default' : 'tenant',
      provider: forwarding.provider,
    };
  }
}
