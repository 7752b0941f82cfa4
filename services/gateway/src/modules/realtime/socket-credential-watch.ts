import { WebSocket } from 'ws';
import { DomainException } from '@parley/contracts';
import { API_KEY_CACHE_MS } from '../auth/api-key-credential-verifier';
import { CloseCode } from './realtime-messages';

/** The least time between two checks of one socket (an answer that lapses at once). */
const MIN_RECHECK_MS = 250;
/** Past the moment a cached answer lapses, so the next check asks the auth service. */
const LAPSE_MARGIN_MS = 5;

/** Checks the socket's credential again; resolves with until when the answer holds, rejects once it is refused. */
export type CredentialRecheck = () => Promise<{ validUntil: number }>;

/**
 * Keeps an API-key socket honest while it is open. The key is checked again, through the gateway's
 * cached verifier, each time the answer it last got lapses (at most API_KEY_CACHE_MS after the
 * auth service gave it, never past the key's expiry), so a revoked or expired key closes its
 * sockets with 4401 and the refusal's code (`invalid_api_key`) as soon as an HTTP request with it
 * would be refused: within 5 s, on every replica. If the check cannot be made (the auth service
 * is unreachable: a request would get 503) the socket stays open and the check is retried.
 * Returns the function that stops watching (call it when the socket closes).
 */
export function watchSocketCredential(
  ws: WebSocket,
  recheck: CredentialRecheck,
  onCheckFailed: (error: unknown) => void,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(check, Math.min(Math.max(delayMs, MIN_RECHECK_MS), API_KEY_CACHE_MS));
    timer.unref();
  };

  function check(): void {
    recheck().then(
      ({ validUntil }) => schedule(validUntil - Date.now() + LAPSE_MARGIN_MS),
      (error: unknown) => {
        if (stopped) return;
        if (error instanceof DomainException && error.httpStatus === 401) {
          stopped = true;
          if (ws.readyState === WebSocket.OPEN) ws.close(CloseCode.TokenExpired, error.code);
          return;
        }
        onCheckFailed(error);
        schedule(API_KEY_CACHE_MS);
      },
    );
  }

  check();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
