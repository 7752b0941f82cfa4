import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { LOGGER, type Logger } from '@parley/observability';
import { AuthSchemaModule } from '../auth-schema/auth-schema.module';
import { KeyEncryption, keyEncryptionFor } from './key-encryption';
import { SigningKeyStore } from './signing-key-store';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysRepository } from './signing-keys.repository';
import { EnsureSigningKeyUseCase } from './usecases/ensure-signing-key/ensure-signing-key.usecase';
import { GetJwksUseCase } from './usecases/get-jwks/get-jwks.usecase';
import { RotateSigningKeyUseCase } from './usecases/rotate-signing-key/rotate-signing-key.usecase';

/** Access-token signing keys: encrypted at rest, created on first start, rotated, published as JWKS. */
@Module({
  imports: [AuthSchemaModule],
  controllers: [SigningKeysController],
  providers: [
    {
      provide: KeyEncryption,
      inject: [APP_CONFIG, LOGGER],
      useFactory: (config: AppConfig, logger: Logger) => keyEncryptionFor(config, logger),
    },
    SigningKeysRepository,
    SigningKeyStore,
    EnsureSigningKeyUseCase,
    RotateSigningKeyUseCase,
    GetJwksUseCase,
  ],
  exports: [SigningKeyStore],
})
export class SigningKeysModule {}
