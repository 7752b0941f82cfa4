import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { GetMeUseCase } from './usecases/get-me/get-me.usecase';

@Module({ controllers: [MeController], providers: [GetMeUseCase] })
export class MeModule {}
