import { DomainException, ErrorCode } from '@parley/contracts';
import { isRefreshTokenFormat } from '../../refresh-token';

/** A refresh token of our format; anything else is answered like an unknown token. */
export class RefreshSessionCommand {
  private constructor(readonly refreshToken: string) {}

  static create(input: { refreshToken: string }): RefreshSessionCommand {
    if (!isRefreshTokenFormat(input.refreshToken)) {
      throw new DomainException(ErrorCode.InvalidRefreshToken, 'Refresh token is not valid');
    }
    return new RefreshSessionCommand(input.refreshToken);
  }
}
