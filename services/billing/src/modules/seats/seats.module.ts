import { Module } from '@nestjs/common';
import { BillingSchemaModule } from '../billing-schema/billing-schema.module';
import { SeatsConsumer } from './seats.consumer';
import { SeatsRepository } from './seats.repository';
import { RecordMembershipUseCase } from './usecases/record-membership/record-membership.usecase';
import { SyncSeatsUseCase } from './usecases/sync-seats/sync-seats.usecase';

/** Seats: the subscription's seat quantity follows the member count, debounced. */
@Module({
  imports: [BillingSchemaModule],
  controllers: [SeatsConsumer],
  providers: [SeatsRepository, RecordMembershipUseCase, SyncSeatsUseCase],
})
export class SeatsModule {}
