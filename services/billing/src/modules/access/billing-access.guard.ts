import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { BILLING_ROLES, DomainException, ErrorCode, INTERNAL_PRINCIPAL_HEADER } from '@parley/contracts';
import { InternalTokens, RequestContext } from '@parley/observability';
import type { BillingRequest } from './billing-principal';
import { STRIPE_WEBHOOK_ROUTE } from './stripe-webhook-route.decorator';

/**
 * Every billing controller carries `@UseGuards(BillingAccessGuard)`. In order:
 * 1. billing off (self-hosted) → 404 `billing_disabled`, whoever asks;
 * 2. the Stripe webhook (`@StripeWebhookRoute()`) needs no principal: its signature is its credential;
 * 3. otherwise the gateway's signed principal token (401 `invalid_principal`), a person (an API key
 *    is 403 `forbidden`) whose current role is `owner` or `billing` (403 `forbidden`). The tenant
 *    and user go into the request context, which every billing read and write requires.
 */
@Injectable()
export class BillingAccessGuard implements CanActivate {
  constructor(
    private readonly tokens: InternalTokens,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (!this.config.billing?.enabled) {
      throw new DomainException(ErrorCode.BillingDisabled, 'Billing is not enabled in this deployment');
    }
    if (this.reflector.get<boolean>(STRIPE_WEBHOOK_ROUTE, context.getHandler())) return true;
    const request = context.switchToHttp().getRequest<BillingRequest>();
    const claims = await this.tokens.verifyPrincipal(request.header(INTERNAL_PRINCIPAL_HEADER));
    if (claims.knd === 'api-key') {
      throw new DomainException(ErrorCode.Forbidden, 'Billing is managed by people, not API keys');
    }
    if (!(BILLING_ROLES as readonly string[]).includes(claims.role)) {
      throw new DomainException(ErrorCode.Forbidden, 'Only owners and billing members manage billing');
    }
    request.principal = {
      tenantId: claims.tid,
      userId: claims.uid ?? null,
      kind: claims.knd,
      role: claims.role,
    };
    RequestContext.assign({
      tenantId: claims.tid,
      userId: claims.uid ?? undefined,
      clientIp: claims.cip,
      userAgent: claims.cua,
    });
    return true;
  }
}
