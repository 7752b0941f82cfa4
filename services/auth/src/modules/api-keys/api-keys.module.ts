import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { TenantPlansModule } from '../tenant-plans/tenant-plans.module';
import { ApiKeyVerificationController } from './api-key-verification.controller';
import { ApiKeyVerifyLimiter } from './api-key-verify.limiter';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { CreateApiKeyUseCase } from './usecases/create-api-key/create-api-key.usecase';
import { ListApiKeysUseCase } from './usecases/list-api-keys/list-api-keys.usecase';
import { RevokeApiKeyUseCase } from './usecases/revoke-api-key/revoke-api-key.usecase';
import { VerifyApiKeyUseCase } from './usecases/verify-api-key/verify-api-key.usecase';

/** Tenant API keys: create (shown once), list, revoke; verification for the gateway. */
@Module({
  imports: [AccessTokensModule, AuthorizationModule, TenantPlansModule],
  controllers: [ApiKeysController, ApiKeyVerificationController],
  providers: [
    ApiKeysRepository,
    ApiKeyVerifyLimiter,
    CreateApiKeyUseCase,
    ListApiKeysUseCase,
    RevokeApiKeyUseCase,
    VerifyApiKeyUseCase,
  ],
})
export class ApiKeysModule {}
