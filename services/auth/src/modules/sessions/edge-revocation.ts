import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { type RevokedSession, SessionRevocations } from '@parley/tenancy';
import { authSettings } from '../../auth-settings';

/**
 * After auth revoked sessions in its database (sign-out, refresh-token reuse, password reset,
 * member removal, "sign out everywhere"), puts them in the edge's revocation set for the
 * access-token lifetime, so the gateway refuses their access tokens at the next request and closes
 * their WebSockets. If Redis cannot take them the caller gets 503 (retrying is safe): a revocation
 * is never reported done while the edge still accepts the tokens.
 */
@Injectable()
export class EdgeRevocation {
  private readonly ttlSeconds: number;

  constructor(
    private readonly revocations: SessionRevocations,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.ttlSeconds = authSettings(config).accessTokenTtlSeconds;
  }

  async revoke(sessions: readonly RevokedSession[]): Promise<void> {
    try {
      await this.revocations.revoke(sessions, this.ttlSeconds);
    } catch (error) {
      this.logger.error({ err: error, sessions: sessions.length }, 'Revoked sessions could not reach the edge');
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'The sessions were revoked but the edge could not be told; retry',
        undefined,
        true,
      );
    }
  }
}
