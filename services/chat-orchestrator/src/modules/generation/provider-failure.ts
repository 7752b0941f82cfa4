import { ErrorCode } from '@parley/contracts';
import { ProviderError } from '../providers/llm-provider';
import type { StopReason } from './active-generation';

export interface Failure {
  code: ErrorCode;
  message: string;
}

/**
 * A provider failure (after the chain's retries and fallback) as the error a client sees:
 * `provider_timeout` (504), `provider_rejected` (502: the request or the key was refused, retrying
 * will not help) or `provider_unavailable` (502). Messages come from the adapters, which strip keys.
 */
export function providerFailure(error: ProviderError): Failure {
  switch (error.kind) {
    case 'timeout':
      return { code: ErrorCode.ProviderTimeout, message: error.message };
    case 'auth':
    case 'bad_request':
      return { code: ErrorCode.ProviderRejected, message: error.message };
    case 'rate_limited':
    case 'overloaded':
    case 'server_error':
    case 'network':
    case 'stream_interrupted':
    case 'protocol':
      return { code: ErrorCode.ProviderUnavailable, message: error.message };
  }
}

/** How a generation ended: complete, stopped (by the client or a stop request) or failed. */
export function endingOf(
  failure: unknown,
  reason: StopReason | null,
  generationMaxMs: number,
): { status: 'complete' | 'stopped' | 'failed'; error: Failure | null; unexpected: boolean } {
  if (failure === null) return { status: 'complete', error: null, unexpected: false };
  switch (reason) {
    case 'client-gone':
    case 'stop-requested':
      return { status: 'stopped', error: null, unexpected: false };
    case 'timeout':
      return {
        status: 'failed',
        error: {
          code: ErrorCode.ProviderTimeout,
          message: `The answer took longer than ${generationMaxMs} ms (CHAT_GENERATION_MAX_MS)`,
        },
        unexpected: false,
      };
    case 'shutdown':
      return {
        status: 'failed',
        error: { code: ErrorCode.ServiceUnavailable, message: 'The service restarted during the answer; ask again' },
        unexpected: false,
      };
    case null:
      break;
  }
  if (failure instanceof ProviderError) return { status: 'failed', error: providerFailure(failure), unexpected: false };
  return {
    status: 'failed',
    error: { code: ErrorCode.Internal, message: 'The answer failed unexpectedly' },
    unexpected: true,
  };
}
