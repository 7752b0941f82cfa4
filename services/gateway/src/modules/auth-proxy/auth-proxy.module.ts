import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuthProxyController } from './auth-proxy.controller';
import { ForwardToAuthUseCase } from './usecases/forward-to-auth/forward-to-auth.usecase';

@Module({ imports: [AuthModule], controllers: [AuthProxyController], providers: [ForwardToAuthUseCase] })
export class AuthProxyModule {}
