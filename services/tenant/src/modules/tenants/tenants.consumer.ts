import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnCommand, OnEvent } from '@parley/bus';
import { TenantCreateV1, TenantCreateV2, TenantSignupAbandonedV1, type MessageOf } from '@parley/contracts';
import { AbandonSignupUseCase } from './usecases/abandon-signup/abandon-signup.usecase';
import { CreateTenantCommand } from './usecases/create-tenant/create-tenant.command';
import { CreateTenantUseCase } from './usecases/create-tenant/create-tenant.usecase';

/**
 * Kafka edge: tenant creation commands (`tenant.create.v2` from auth's sign-up saga; v1 without a
 * sign-up) and the saga's compensation, `tenant.signup-abandoned.v1`.
 */
@Controller()
export class TenantsConsumer {
  constructor(
    private readonly createTenant: CreateTenantUseCase,
    private readonly abandonSignup: AbandonSignupUseCase,
  ) {}

  @OnCommand(TenantCreateV1)
  create(@Payload() message: MessageOf<typeof TenantCreateV1>) {
    return this.createTenant.execute(CreateTenantCommand.create(message));
  }

  @OnCommand(TenantCreateV2)
  createForSignup(@Payload() message: MessageOf<typeof TenantCreateV2>) {
    return this.createTenant.execute(CreateTenantCommand.forSignup(message));
  }

  @OnEvent(TenantSignupAbandonedV1)
  async abandoned(@Payload() message: MessageOf<typeof TenantSignupAbandonedV1>): Promise<void> {
    await this.abandonSignup.execute(message);
  }
}
