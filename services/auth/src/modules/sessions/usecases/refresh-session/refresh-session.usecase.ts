import { Inject, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { hashRefreshToken } from '../../refresh-token';
import { SessionIssuer, type TokenPair } from '../../session-issuer';
import { SessionsRepository } from '../../sessions.repository';
import type { RefreshSessionCommand } from './refresh-session.command';

type Outcome = { pair: TokenPair } | { error: DomainException; reuse?: { familyId: string; userId: string } };

/**
 * Rotates a refresh token: the presented one is marked used and replaced, and a new access token is
 * issued for the same session (same user, tenant and role: a token never crosses to another tenant).
 * Presenting a used token again is theft or a replay: the whole family is revoked (committed) and the
 * call fails.
 */
@Injectable()
export class RefreshSessionUseCase {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly issuer: SessionIssuer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: RefreshSessionCommand): Promise<TokenPair> {
    const hash = hashRefreshToken(command.refreshToken);
    const outcome = await this.sessions.transaction(async (manager): Promise<Outcome> => {
      const state = await this.sessions.lockRefreshToken(manager, hash);
      if (!state) return failure(ErrorCode.InvalidRefreshToken, 'Refresh token is not valid');
      if (state.sessionRevoked) return failure(ErrorCode.SessionRevoked, 'The session has been revoked');
      if (state.used) {
        await this.sessions.revokeFamily(manager, state.familyId, 'refresh_token_reused');
        return {
          ...failure(ErrorCode.RefreshTokenReused, 'Refresh token was already used: the session is revoked'),
          reuse: { familyId: state.familyId, userId: state.userId },
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
      if (outcome.reuse) this.logger.warn(outcome.reuse, 'Refresh token reused: session family revoked');
      throw outcome.error;
    }
    return outcome.pair;
  }
}

function failure(code: ErrorCode, message: string): { error: DomainException } {
  return { error: new DomainException(code, message) };
}
