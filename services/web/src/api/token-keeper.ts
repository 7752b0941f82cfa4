import type { TokenResponse } from '@parley/contracts';

/** Timers, injectable so the refresh schedule is tested without waiting. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Refresh this long before the access token expires (or at 80% of a short lifetime). */
export const REFRESH_MARGIN_MS = 60_000;

export function refreshDelayMs(expiresInSeconds: number): number {
  const lifetime = expiresInSeconds * 1000;
  return Math.max(lifetime - REFRESH_MARGIN_MS, lifetime * 0.8, 0);
}

/**
 * Keeps the access token in memory only and renews it before it expires. `refresh` asks the server
 * (with the httpOnly refresh cookie); concurrent callers share one request, so a rotating refresh
 * token is never spent twice. When the server refuses, the session ends and `onEnded` is told.
 */
export class TokenKeeper {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private timer: unknown = null;
  private inFlight: Promise<string | null> | null = null;
  private generation = 0;
  private active = false;

  constructor(
    private readonly renew: () => Promise<TokenResponse>,
    private readonly onEnded: () => void,
    private readonly clock: Clock = systemClock,
  ) {}

  get token(): string | null {
    return this.accessToken;
  }

  /** Whether the token in memory is still good (not within a second of expiry). */
  get fresh(): boolean {
    return this.accessToken !== null && this.clock.now() < this.expiresAt - 1000;
  }

  accept(tokens: Pick<TokenResponse, 'accessToken' | 'expiresIn'>): void {
    this.generation += 1;
    this.active = true;
    this.accessToken = tokens.accessToken;
    this.expiresAt = this.clock.now() + tokens.expiresIn * 1000;
    this.schedule(refreshDelayMs(tokens.expiresIn));
  }

  /** Whether a session was opened (and has not ended). */
  get hasSession(): boolean {
    return this.active;
  }

  /** A fresh access token, renewing first when needed; null when there is no session. */
  async current(): Promise<string | null> {
    if (!this.active) return null;
    if (this.fresh) return this.accessToken;
    return this.refresh();
  }

  /** One refresh at a time; a refusal ends the session (a network failure does not). */
  refresh(): Promise<string | null> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Forget the token and stop renewing (sign-out, or the server said the session is over). */
  clear(): void {
    this.generation += 1;
    this.active = false;
    this.accessToken = null;
    this.expiresAt = 0;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private async doRefresh(): Promise<string | null> {
    const started = this.generation;
    try {
      const tokens = await this.renew();
      if (this.generation !== started) return this.accessToken; // signed out (or in) meanwhile
      this.accept(tokens);
      return tokens.accessToken;
    } catch (error) {
      if (isRefusal(error)) {
        const had = this.active;
        this.clear();
        if (had) this.onEnded();
        return null;
      }
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.refresh().catch(() => {
        // Offline: retry in a while; the next API call also tries.
        this.schedule(REFRESH_MARGIN_MS / 4);
      });
    }, delayMs);
  }
}

/** A 4xx from the refresh route means the session is over; anything else may be transient. */
function isRefusal(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
