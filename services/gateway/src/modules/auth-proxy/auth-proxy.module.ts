import { Module } from '@nestjs/common';
import { AuthProxyController } from './auth-proxy.controller';
import { ForwardToAuthUseCase } from './usecases/forward-to-auth/forward-to-auth.usecase';

@Module({ controllers: [AuthProxyController], providers: [ForwardToAuthUseCase] })
export class AuthProxyModule {}
