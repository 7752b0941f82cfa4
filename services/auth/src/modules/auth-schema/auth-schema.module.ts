import { Module } from '@nestjs/common';
import { MigrateAuthSchemaUseCase } from './usecases/migrate-auth-schema/migrate-auth-schema.usecase';

/** The `auth` schema: global identity tables, migrated at start. Other auth modules import it first. */
@Module({
  providers: [MigrateAuthSchemaUseCase],
  exports: [MigrateAuthSchemaUseCase],
})
export class AuthSchemaModule {}
