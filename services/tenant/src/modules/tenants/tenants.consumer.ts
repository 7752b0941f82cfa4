import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnCommand } from '@parley/bus';
import { TenantCreateV1, type MessageOf } from '@parley/contracts';
import { CreateTenantCommand } from './usecases/create-tenant/create-tenant.command';
import { CreateTenantUseCase } from './usecases/create-tenant/create-tenant.usecase';

/** Kafka edge: `tenant.create.v1` commands (sign-up in the auth service sends them). */
@Controller()
export class TenantsConsumer {
  constructor(private readonly createTenant: CreateTenantUseCase) {}

  @OnCommand(TenantCreateV1)
  create(@Payload() message: MessageOf<typeof TenantCreateV1>) {
    return this.createTenant.execute(CreateTenantCommand.create(message));
  }
}
