import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, EgressPolicy } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { CredentialEncryption, credentialEncryptionFor } from './credential-encryption';
import { ChatModelsController } from './chat-models.controller';
import { ProviderCredentialsController } from './provider-credentials.controller';
import { ProviderCredentialsRepository } from './provider-credentials.repository';
import { ProviderTargetsResolver } from './provider-targets.resolver';
import { DeleteProviderCredentialUseCase } from './usecases/delete-provider-credential/delete-provider-credential.usecase';
import { ListChatModelsUseCase } from './usecases/list-chat-models/list-chat-models.usecase';
import { ListProviderCredentialsUseCase } from './usecases/list-provider-credentials/list-provider-credentials.usecase';
import { PutProviderCredentialUseCase } from './usecases/put-provider-credential/put-provider-credential.usecase';

/**
 * Bring your own key: `/chat/providers` (owners and admins) with keys sealed under
 * CHAT_KEY_ENCRYPTION_KEY, and `ProviderTargetsResolver`, the ordered provider targets of a tenant
 * for the generation path. Needs the global TenantDb, APP_CONFIG and LOGGER (PlatformModule) and
 * PrincipalModule.
 */
@Module({
  controllers: [ProviderCredentialsController, ChatModelsController],
  providers: [
    {
      provide: CredentialEncryption,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => credentialEncryptionFor(config, logger),
    },
    // Tenant base URLs: checked when saved and again at each connection (EGRESS_* settings).
    { provide: EgressPolicy, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new EgressPolicy(config.egress) },
    ProviderCredentialsRepository,
    ProviderTargetsResolver,
    ListProviderCredentialsUseCase,
    ListChatModelsUseCase,
    PutProviderCredentialUseCase,
    DeleteProviderCredentialUseCase,
  ],
  exports: [ProviderTargetsResolver],
})
export class ProviderCredentialsModule {}
