import { Module } from '@nestjs/common';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { AccessTokens } from './access-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';

/** Issuing and verifying access tokens with the signing keys; the bearer guard for auth's own routes. */
@Module({
  imports: [SigningKeysModule],
  providers: [AccessTokens, BearerAuthGuard],
  exports: [AccessTokens, BearerAuthGuard],
})
export class AccessTokensModule {}
