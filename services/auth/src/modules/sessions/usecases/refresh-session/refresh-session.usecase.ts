import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import type { RevokedSession } from '@parley/tenancy';
import { hashRefreshToken } from '../../refresh-token';
import { EdgeRevocation } from '../../edge-revocation';
import { SessionIssuer, type TokenPair } from '../../session-issuer';
import { SessionsRepository } from '../../sessions.repository';
import type { RefreshSessionCommand } from './refresh-session.command';

type Outcome =
  | { pair: TokenPair }
  | { error: DomainException; reuse?: { familyId: string; userId: string; revoked: RevokedSession[] } };

/**
 * Rotates a refresh token: the presented one is marked used and replaced, and a new access token is
 * issued for the same session (same user, tenant and role: a token never crosses to another tenant).
 * Presenting a used token again is theft or a replay: the whole family is revoked (committed, and at
 * the edge: its access tokens stop working at once) and the call fails.
 */
@Injectable()
export class RefreshSessionUseCase {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly issuer: SessionIssuer,
    private readonly edge: EdgeRevocation,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RefreshSessionCommand): Promise<TokenPair> {
    const hash = hashRefreshToken(command.refreshToken);
    const outcome = await this.sessions.transaction(async (manager): Promise<Outcome> => {
      const state = await this.sessions.lockRefreshToken(manager, hash);
      if (!state) return failure(ErrorCode.InvalidRefreshToken, 'Refresh token is not valid');
      if (state.sessionRevoked) return failure(ErrorCode.SessionRevoked, 'The session has been revoked');
      if (state.used) {
        const revoked = await this.sessions.revokeFamily(manager, state.familyId, 'refresh_token_reused');
        return {
          ...failure(ErrorCode.RefreshTokenReused, 'Refresh token was already used: the session is revoked'),
          reuse: { familyId: state.familyId, userId: state.userId, revoked },
        };
      }
      if (state.expired) return failure(ErrorCode.RefreshTokenExpired, 'Refresh token has expired');
      const { pair, hash: next } = await this.issuer.rotate(
        manager,
        {
          userId: state.userId,
          tenantId: state.tenantId,
          role: state.role,
          sessionId: state.sessionId,
          plan: state.plan,
        },
        state.familyId,
      );
      await this.sessions.markUsed(manager, hash, next);
      return { pair };
    });
    if ('error' in outcome) {
      if (outcome.reuse) {
        const { revoked, ...reuse } = outcome.reuse;
        this.logger.warn({ ...reuse, revokedSessions: revoked.length }, 'Refresh token reused: session family revoked');
        await this.edge.revoke(revoked);
      }
      throw outcome.error;
    }
    return outcome.pair;
  }
}

function failure(code: ErrorCode, message: string): { error: DomainException } {
  return { error: new DomainException(code, message) };
}
