import { Injectable } from '@nestjs/common';
import { PlanLimitsReader } from '@parley/tenancy';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { monthWindow } from '../../quota-window';
import { TokenUsageStore } from '../../token-usage.store';

export interface QuotaView {
  plan: string;
  tokensPerMonth: number;
  tokensUsed: number;
  resetAt: string;
  chatRequestsPerHour: number;
}

/** The tenant's chat quota: its plan's limits and the tokens used this month (UTC). */
@Injectable()
export class GetQuotaUseCase {
  constructor(
    private readonly plans: PlanLimitsReader,
    private readonly usage: TokenUsageStore,
  ) {}

  async execute(principal: ChatPrincipal): Promise<QuotaView> {
    const now = new Date();
    const [plan, tokensUsed] = await Promise.all([
      this.plans.planOf(principal.tenantId),
      this.usage.used(principal.tenantId, now),
    ]);
    return {
      plan: plan.planId,
      tokensPerMonth: plan.limits.tokensPerMonth,
      tokensUsed,
      resetAt: monthWindow(now).resetAt.toISOString(),
      chatRequestsPerHour: plan.limits.chatRequestsPerHour,
    };
  }
}
