import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { confirmPasswordResetBodySchema, parseInput, requestPasswordResetBodySchema } from '@parley/contracts';
import { ConfirmPasswordResetCommand } from './usecases/confirm-password-reset/confirm-password-reset.command';
import { ConfirmPasswordResetUseCase } from './usecases/confirm-password-reset/confirm-password-reset.usecase';
import { RequestPasswordResetCommand } from './usecases/request-password-reset/request-password-reset.command';
import { RequestPasswordResetUseCase } from './usecases/request-password-reset/request-password-reset.usecase';

/** Public: asking for a reset mail, and setting a new password with its token. */
@Controller('auth/password-reset')
export class PasswordResetController {
  constructor(
    private readonly requestReset: RequestPasswordResetUseCase,
    private readonly confirmReset: ConfirmPasswordResetUseCase,
  ) {}

  @Post()
  @HttpCode(202)
  request(@Body() body: unknown) {
    return this.requestReset.execute(
      RequestPasswordResetCommand.create(parseInput(requestPasswordResetBodySchema, body, 'body')),
    );
  }

  @Post('confirm')
  @HttpCode(204)
  confirm(@Body() body: unknown) {
    return this.confirmReset.execute(
      ConfirmPasswordResetCommand.create(parseInput(confirmPasswordResetBodySchema, body, 'body')),
    );
  }
}
