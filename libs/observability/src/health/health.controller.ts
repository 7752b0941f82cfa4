import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import { ServiceMetrics } from '../metrics/service-metrics';
import { HealthRegistry, type ReadinessReport } from './health-registry';

/** What these handlers set on a response: the same methods on an Express response and a Fastify reply. */
interface StatusAndType {
  status(code: number): unknown;
  type(contentType: string): unknown;
}

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthRegistry,
    private readonly metrics: ServiceMetrics,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.metrics.service };
  }

  @Get('health/ready')
  async ready(@Res({ passthrough: true }) res: StatusAndType): Promise<ReadinessReport & { service: string }> {
    const report = await this.health.readiness();
    res.status(report.status === 'ok' ? 200 : 503);
    return { service: this.metrics.service, ...report };
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res({ passthrough: true }) res: StatusAndType): Promise<string> {
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
