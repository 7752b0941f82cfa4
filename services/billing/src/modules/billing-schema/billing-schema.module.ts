import { Module } from '@nestjs/common';
import { MigrateBillingSchemaUseCase } from './usecases/migrate-billing-schema/migrate-billing-schema.usecase';

/** The `billing` schema, migrated at start. The other billing modules import it first. */
@Module({ providers: [MigrateBillingSchemaUseCase], exports: [MigrateBillingSchemaUseCase] })
export class BillingSchemaModule {}
