import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { LockoutModule } from '../lockout/lockout.module';
import { MailModule } from '../mail/mail.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PasswordResetController } from './password-reset.controller';
import { PasswordResetRepository } from './password-reset.repository';
import { ConfirmPasswordResetUseCase } from './usecases/confirm-password-reset/confirm-password-reset.usecase';
import { RequestPasswordResetUseCase } from './usecases/request-password-reset/request-password-reset.usecase';

/** Password reset by mail: a single-use token, then a new password and every session revoked. */
@Module({
  imports: [AccountsModule, LockoutModule, MailModule, SessionsModule],
  controllers: [PasswordResetController],
  providers: [PasswordResetRepository, RequestPasswordResetUseCase, ConfirmPasswordResetUseCase],
})
export class PasswordResetModule {}
