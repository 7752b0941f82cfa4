import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@parley/bus';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { AuthSignedInV1 } from '@parley/contracts';
import { RequestContext } from '@parley/observability';
import { authSettings } from '../../auth-settings';
import type { AccessSubject } from '../access-tokens/access-token.claims';
import { AccessTokens } from '../access-tokens/access-tokens';
import { newRefreshToken } from './refresh-token';
import { SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Opens sessions and mints their token pairs (sign-up, sign-in, refresh). */
@Injectable()
export class SessionIssuer {
  private readonly refreshTtlSeconds: number;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokens,
    private readonly outbox: OutboxWriter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.refreshTtlSeconds = authSettings(config).refreshTokenTtlSeconds;
  }

  /**
   * A new session (and refresh-token family) for a member of a tenant, inside the caller's
   * transaction, announced as `auth.signed-in.v1` (outbox: published if and only if it commits).
   * `sessionId` when the caller records something with the session (a SAML login's NameID).
   */
  async open(
    manager: EntityManager,
    subject: Omit<AccessSubject, 'sessionId'>,
    sessionId: string = randomUUID(),
  ): Promise<TokenPair> {
    const familyId = randomUUID();
    await this.sessions.insertSession(manager, {
      id: sessionId,
      userId: subject.userId,
      tenantId: subject.tenantId,
      familyId,
    });
    const refresh = newRefreshToken();
    await this.sessions.insertRefreshToken(manager, {
      hash: refresh.hash,
      sessionId,
      familyId,
      ttlSeconds: this.refreshTtlSeconds,
    });
    // The session's tenant, which is not the request's when a person switches organisation.
    await RequestContext.with({ tenantId: subject.tenantId }, () =>
      this.outbox.add(manager, AuthSignedInV1, {
        tenantId: subject.tenantId,
        userId: subject.userId,
        sessionId,
        signedInAt: new Date().toISOString(),
      }),
    );
    return this.pair({ ...subject, sessionId }, refresh.token);
  }

  /** The next refresh token of a session; the caller marks the presented one used. */
  async rotate(
    manager: EntityManager,
    subject: AccessSubject,
    familyId: string,
  ): Promise<{ pair: TokenPair; hash: Buffer }> {
    const refresh = newRefreshToken();
    await this.sessions.insertRefreshToken(manager, {
      hash: refresh.hash,
      sessionId: subject.sessionId,
      familyId,
      ttlSeconds: this.refreshTtlSeconds,
    });
    return { pair: await this.pair(subject, refresh.token), hash: refresh.hash };
  }

  private async pair(subject: AccessSubject, refreshToken: string): Promise<TokenPair> {
    const { accessToken, expiresIn } = await this.accessTokens.issue(subject);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn };
  }
}
