import { z } from 'zod';
import { isOpaqueToken } from '../../../../common/opaque-token';
import { parseInput } from '../../../../common/parse-input';
import { RESET_TOKEN_PREFIX } from '../../password-reset-mail';
import { resetTokenInvalid } from '../../reset-errors';

const schema = z.object({ token: z.string(), password: z.string().min(10).max(256) });

/** A reset token of our format (anything else is `reset_token_invalid`) and the new password. */
export class ConfirmPasswordResetCommand {
  private constructor(
    readonly token: string,
    readonly password: string,
  ) {}

  static create(body: unknown): ConfirmPasswordResetCommand {
    const input = parseInput(schema, body, 'password reset');
    if (!isOpaqueToken(RESET_TOKEN_PREFIX, input.token)) throw resetTokenInvalid();
    return new ConfirmPasswordResetCommand(input.token, input.password);
  }
}
