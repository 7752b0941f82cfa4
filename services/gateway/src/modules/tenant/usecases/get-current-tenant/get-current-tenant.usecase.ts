import { Injectable } from '@nestjs/common';
import { BusRequester } from '@parley/bus';
import { TenantGetV1, type ReplyOf } from '@parley/contracts';

/**
 * The caller's tenant from the tenant service over Kafka (`tenant.get.v1`). The request carries no
 * tenant id: the bus sets `x-tenant-id` from the context the auth guard filled from the token.
 */
@Injectable()
export class GetCurrentTenantUseCase {
  constructor(private readonly bus: BusRequester) {}

  execute(): Promise<ReplyOf<typeof TenantGetV1>> {
    return this.bus.request(TenantGetV1, {});
  }
}
