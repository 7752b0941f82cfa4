import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ListAuditQuery } from './dtos/list-audit.query';
import { LifecycleReasonDto } from './dtos/lifecycle-reason.dto';
import { SuspendTenantDto } from './dtos/suspend-tenant.dto';
import { TenantLifecycleCommand } from './tenant-lifecycle.command';
import { DeleteTenantUseCase } from './usecases/delete-tenant/delete-tenant.usecase';
import { ListTenantAuditUseCase } from './usecases/list-tenant-audit/list-tenant-audit.usecase';
import { RestoreTenantUseCase } from './usecases/restore-tenant/restore-tenant.usecase';
import { ResumeTenantUseCase } from './usecases/resume-tenant/resume-tenant.usecase';
import { SuspendTenantUseCase } from './usecases/suspend-tenant/suspend-tenant.usecase';

/**
 * Internal lifecycle API: suspend, resume, delete (with a grace period), restore, and the audit
 * trail. `x-actor` names the caller for the audit trail (`billing`, `user:<id>`; default `internal-api`).
 */
@Controller('internal/tenants')
export class TenantLifecycleController {
  constructor(
    private readonly suspendTenant: SuspendTenantUseCase,
    private readonly resumeTenant: ResumeTenantUseCase,
    private readonly deleteTenant: DeleteTenantUseCase,
    private readonly restoreTenant: RestoreTenantUseCase,
    private readonly listAudit: ListTenantAuditUseCase,
  ) {}

  @Post(':tenantId/suspend')
  @HttpCode(200)
  suspend(@Param('tenantId') tenantId: string, @Body() body: SuspendTenantDto, @Headers('x-actor') actor?: string) {
    const command = TenantLifecycleCommand.create({ tenantId, actor, reason: body.reason }, { reasonRequired: true });
    return this.suspendTenant.execute(command);
  }

  @Post(':tenantId/resume')
  @HttpCode(200)
  resume(@Param('tenantId') tenantId: string, @Body() body: LifecycleReasonDto, @Headers('x-actor') actor?: string) {
    return this.resumeTenant.execute(TenantLifecycleCommand.create({ tenantId, actor, reason: body.reason }));
  }

  @Delete(':tenantId')
  remove(@Param('tenantId') tenantId: string, @Body() body: LifecycleReasonDto, @Headers('x-actor') actor?: string) {
    return this.deleteTenant.execute(TenantLifecycleCommand.create({ tenantId, actor, reason: body.reason }));
  }

  @Post(':tenantId/restore')
  @HttpCode(200)
  restore(@Param('tenantId') tenantId: string, @Body() body: LifecycleReasonDto, @Headers('x-actor') actor?: string) {
    return this.restoreTenant.execute(TenantLifecycleCommand.create({ tenantId, actor, reason: body.reason }));
  }

  @Get(':tenantId/audit')
  audit(@Param('tenantId') tenantId: string, @Query() query: ListAuditQuery) {
    return this.listAudit.execute(tenantId, query.limit, query.after);
  }
}
