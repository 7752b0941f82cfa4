import { Module } from '@nestjs/common';
import { PlatformHealthController } from './platform-health.controller';
import { CheckPlatformHealthUseCase } from './usecases/check-platform-health/check-platform-health.usecase';

@Module({ controllers: [PlatformHealthController], providers: [CheckPlatformHealthUseCase] })
export class PlatformHealthModule {}
