import { Injectable } from '@nestjs/common';
import { TenantStatusStore, type TenantStatus } from '../../tenant-status.store';

export interface RecordTenantStatusCommand {
  tenantId: string;
  status: TenantStatus;
}

/** A lifecycle event changed the tenant's status: every replica refuses or admits it from now on. */
@Injectable()
export class RecordTenantStatusUseCase {
  constructor(private readonly store: TenantStatusStore) {}

  execute(command: RecordTenantStatusCommand): Promise<void> {
    return this.store.set(command.tenantId, command.status);
  }
}
