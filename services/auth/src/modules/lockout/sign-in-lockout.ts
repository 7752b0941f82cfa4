import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { REDIS } from '@parley/tenancy';
import { authSettings, type AuthSettings } from '../../auth-settings';

/** A password check: for whom (normalised email) and from where (normalised client address). */
export interface SignInAttempt {
  email: string;
  ip: string;
}

/**
 * One failure of a subject, atomically: count it (the count lives `window` after the last failure)
 * and, from the threshold on, refuse the subject for base × 2^(count − threshold), at most the
 * window. KEYS: failures, lock. ARGV: window ms, threshold, base ms. Returns the refusal in ms.
 */
const RECORD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local threshold = tonumber(ARGV[2])
if n < threshold then return 0 end
local delay = math.floor(math.min(tonumber(ARGV[1]), tonumber(ARGV[3]) * 2 ^ math.min(n - threshold, 30)))
redis.call('SET', KEYS[2], n, 'PX', delay)
return delay`;

/**
 * Lockout with exponential backoff after failed sign-ins, counted in Redis per account and per
 * client address. There is no verified tenant yet, so the keys start with `platform:`; the account
 * key holds the sha256 of the email, not the email. A refused attempt is not checked and not
 * counted. Success clears the account's count; the address count only expires (else one valid
 * account would let an attacker reset it between guesses at others). Without Redis, sign-in fails
 * closed (503) rather than run unthrottled.
 */
@Injectable()
export class SignInLockout {
  private readonly settings: AuthSettings['lockout'];

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = authSettings(config).lockout;
  }

  /** Throws 429 `too_many_attempts` (details.retryAfterSeconds) while the account or address is refused. */
  async assertAllowed(attempt: SignInAttempt): Promise<void> {
    const [account, address] = await this.guard(() =>
      Promise.all([this.redis.pttl(this.key('account', attempt).lock), this.redis.pttl(this.key('ip', attempt).lock)]),
    );
    const waitMs = Math.max(account, address);
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      throw new DomainException(ErrorCode.TooManyAttempts, 'Too many failed sign-in attempts; try again later', {
        retryAfterSeconds,
      });
    }
  }

  async recordFailure(attempt: SignInAttempt): Promise<void> {
    const { windowSeconds, baseDelaySeconds, accountThreshold, ipThreshold } = this.settings;
    await this.guard(() =>
      Promise.all(
        (['account', 'ip'] as const).map((kind) => {
          const key = this.key(kind, attempt);
          const threshold = kind === 'account' ? accountThreshold : ipThreshold;
          return this.redis.eval(
            RECORD_FAILURE,
            2,
            key.failures,
            key.lock,
            windowSeconds * 1000,
            threshold,
            baseDelaySeconds * 1000,
          );
        }),
      ),
    );
  }

  /** After a successful sign-in or a password reset: the account starts afresh (its address does not). */
  async clearAccount(email: string): Promise<void> {
    const key = this.key('account', { email, ip: 'unknown' });
    await this.guard(() => this.redis.del(key.failures, key.lock));
  }

  private key(kind: 'account' | 'ip', attempt: SignInAttempt): { failures: string; lock: string } {
    const subject = kind === 'account' ? createHash('sha256').update(attempt.email).digest('hex') : attempt.ip;
    const base = `platform:auth:lockout:${kind}:${subject}`;
    return { failures: `${base}:failures`, lock: `${base}:lock` };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainException) throw error;
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'Sign-in is unavailable for a moment (its attempt counter cannot be reached)',
        undefined,
        true,
      );
    }
  }
}
