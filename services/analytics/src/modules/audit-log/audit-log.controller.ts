import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { AnalyticsPrincipal } from '../principal/analytics-principal';
import { CurrentPrincipal } from '../principal/current-principal.decorator';
import { InternalPrincipalGuard } from '../principal/internal-principal.guard';
import { ExportAuditLogQuery } from './usecases/export-audit-log/export-audit-log.query';
import { ExportAuditLogUseCase } from './usecases/export-audit-log/export-audit-log.usecase';
import { ListAuditLogQuery } from './usecases/list-audit-log/list-audit-log.query';
import { ListAuditLogUseCase } from './usecases/list-audit-log/list-audit-log.usecase';

/** `/analytics/audit` and `/analytics/audit/export` (public: `/api/v1/analytics/audit…`), owners and admins. */
@Controller('analytics/audit')
@UseGuards(InternalPrincipalGuard)
export class AuditLogController {
  constructor(
    private readonly listLog: ListAuditLogUseCase,
    private readonly exportLog: ExportAuditLogUseCase,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: AnalyticsPrincipal, @Query() query: unknown) {
    return this.listLog.execute(ListAuditLogQuery.create(principal, query));
  }

  @Get('export')
  async export(
    @CurrentPrincipal() principal: AnalyticsPrincipal,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const file = await this.exportLog.execute(ExportAuditLogQuery.create(principal, query));
    res.setHeader('content-type', file.contentType);
    res.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('x-audit-rows', String(file.rows));
    return file.body;
  }
}
