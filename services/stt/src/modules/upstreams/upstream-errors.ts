import { DomainException, ErrorCode, RetryLaterException } from '@parley/contracts';

const MESSAGE_MAX = 300;

/** The upstream's own message (OpenAI's `{ error: { message } }`, else the text), short and without the key. */
export function upstreamMessage(body: Buffer, apiKey: string | null): string {
  const text = body.toString('utf8');
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const candidate =
      typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message ?? text);
    message = typeof candidate === 'string' ? candidate : text;
  } catch {
    // not JSON: the text as it is
  }
  const redacted = apiKey ? message.split(apiKey).join('[redacted]') : message;
  return redacted.replace(/\s+/g, ' ').trim().slice(0, MESSAGE_MAX);
}

/**
 * An upstream's non-2xx answer as our error: 401/403 → 502 `stt_upstream_auth_failed`, 429 → 429
 * `stt_upstream_rate_limited` (its Retry-After, else 1 s), 5xx → 502 `stt_upstream_unavailable`,
 * another 4xx → 502 `stt_upstream_rejected`.
 */
export function upstreamStatusError(status: number, retryAfter: string | undefined, message: string): DomainException {
  const details = { status, upstreamMessage: message };
  if (status === 401 || status === 403) {
    return new DomainException(
      ErrorCode.SttUpstreamAuthFailed,
      `The speech upstream refused the key (HTTP ${status}): check the upstream's API key`,
      details,
    );
  }
  if (status === 429) {
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? Math.min(3600, Math.ceil(seconds)) : 1;
    return new RetryLaterException(
      ErrorCode.SttUpstreamRateLimited,
      'The speech upstream is rate limiting this key; try again shortly',
      details,
      wait,
    );
  }
  if (status >= 500) {
    return new DomainException(
      ErrorCode.SttUpstreamUnavailable,
      `The speech upstream failed (HTTP ${status}); try again`,
      details,
    );
  }
  return new DomainException(
    ErrorCode.SttUpstreamRejected,
    `The speech upstream refused the request (HTTP ${status}): ${message}`,
    details,
  );
}
