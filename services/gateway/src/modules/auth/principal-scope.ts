import { type ApiKeyScope, DomainException, ErrorCode, hasScope } from '@parley/contracts';
import type { Principal } from './principal';

/**
 * Why this principal may not use a route that needs `required`, or undefined when it may. Only
 * API keys are limited by scopes: a person's access token (and the self-hosted anonymous owner)
 * is governed by roles instead.
 */
export function scopeRefusal(principal: Principal, required: ApiKeyScope | undefined): DomainException | undefined {
  if (required === undefined || principal.kind !== 'api-key') return undefined;
  if (hasScope(principal.scopes ?? [], required)) return undefined;
  return new DomainException(ErrorCode.InsufficientScope, `This API key lacks the scope ${required}`, {
    requiredScope: required,
  });
}
