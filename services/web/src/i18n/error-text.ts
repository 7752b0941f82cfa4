import { isApiError } from '../api/api-error';
import type { MessageKey } from './en';
import type { Translate } from './i18n';

const WORDED = new Set<string>([
  'invalid_credentials',
  'too_many_attempts',
  'signup_closed',
  'email_taken',
  'tenant_slug_taken',
  'invite_invalid',
  'invite_expired',
  'reset_token_invalid',
  'reset_token_expired',
  'provider_not_configured',
  'provider_unavailable',
  'provider_timeout',
  'provider_rejected',
  'generation_in_progress',
  'forbidden',
  'last_owner',
  'already_member',
  'member_limit_reached',
  'seat_limit_reached',
  'api_key_limit_reached',
  'mail_unavailable',
  'tenant_suspended',
  'session_revoked',
  'not_found',
  'unknown_skill',
  'skill_command_taken',
  'nothing_to_regenerate',
  'feedback_not_allowed',
  'network',
  'domain_taken',
  'domain_verification_failed',
  'dns_unavailable',
  'domain_limit_reached',
  'sso_metadata_invalid',
  'sso_connection_exists',
  'sso_not_configured',
  'sso_login_rejected',
  'sso_logout_rejected',
  'sso_signing_key_missing',
  'sso_next_signing_key_exists',
  'sso_next_signing_key_missing',
  'budget_exceeded',
  'payment_required',
  'billing_disabled',
  'no_subscription',
  'payment_provider_unavailable',
  'egress_denied',
]);

/** Words for an error code from the API (or the stream), in the current language. */
export function errorText(
  t: Translate,
  code: string,
  detail: { message?: string; retryAfterSeconds?: number | null; resetAt?: unknown } = {},
): string {
  switch (code) {
    case 'validation_failed':
      return t('error.validation_failed', { message: detail.message ?? '' });
    case 'rate_limited':
      return t('error.rate_limited', { seconds: detail.retryAfterSeconds ?? 60 });
    case 'quota_exceeded': {
      const reset =
        typeof detail.resetAt === 'string'
          ? t('error.quota_reset', { time: new Date(detail.resetAt).toLocaleString() })
          : '';
      return t('error.quota_exceeded', { reset });
    }
    default:
      return WORDED.has(code) ? t(`error.${code}` as MessageKey) : t('error.generic', { code });
  }
}

/** Words for anything a mutation or query threw. */
export function describeError(t: Translate, error: unknown): string {
  if (isApiError(error)) {
    return errorText(t, error.code, {
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
      resetAt: error.details.resetAt,
    });
  }
  return t('error.generic', { code: 'client' });
}
