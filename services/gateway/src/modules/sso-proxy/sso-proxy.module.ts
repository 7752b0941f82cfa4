import { Module } from '@nestjs/common';
import { SsoProxyController } from './sso-proxy.controller';
import { ForwardToSsoUseCase } from './usecases/forward-to-sso/forward-to-sso.usecase';

/** `/api/v1/sso/*` → the auth service (public SAML routes). */
@Module({ controllers: [SsoProxyController], providers: [ForwardToSsoUseCase] })
export class SsoProxyModule {}
