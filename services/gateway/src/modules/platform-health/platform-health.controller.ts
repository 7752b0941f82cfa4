import { Controller, Get, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { Public } from '../auth/public.decorator';
import { PlatformHealthDto, ServiceHealthDto } from './dtos/platform-health.dto';
import {
  CheckPlatformHealthUseCase,
  type PlatformHealth,
} from './usecases/check-platform-health/check-platform-health.usecase';

@ApiTags('health')
@ApiExtraModels(ServiceHealthDto)
@Controller('api/v1/health')
export class PlatformHealthController {
  constructor(private readonly checkPlatformHealth: CheckPlatformHealthUseCase) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness of every service, with latency; 503 when any is not ready' })
  @ApiResponse({ status: 200, type: PlatformHealthDto, description: 'Every service is ready' })
  @ApiResponse({ status: 503, type: PlatformHealthDto, description: 'The services that are down are named' })
  @ApiProblems(429)
  async health(@Res({ passthrough: true }) res: FastifyReply): Promise<PlatformHealth> {
    const report = await this.checkPlatformHealth.execute();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
