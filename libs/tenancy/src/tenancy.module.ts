import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@parley/config';
import { DatabaseModule } from './database/database.module';
import { RedisModule } from './redis/redis.module';

/** Postgres (when the service has one) and Redis for a service, from its validated config. */
@Module({})
export class TenancyModule {
  static forRoot(config: AppConfig, options: { entities?: Function[] } = {}): DynamicModule {
    const imports: DynamicModule[] = [RedisModule.forRoot(config.redis.url, `parley-${config.service}`)];
    if (config.database) imports.push(DatabaseModule.forRoot(config.database, config.service, options.entities ?? []));
    return { module: TenancyModule, imports, exports: imports };
  }
}
