import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { SsoConnectionsController } from './connections/sso-connections.controller';
import { SsoConnectionsRepository } from './connections/sso-connections.repository';
import { DeleteSsoConnectionUseCase } from './connections/usecases/delete-sso-connection/delete-sso-connection.usecase';
import { GetSsoConnectionUseCase } from './connections/usecases/get-sso-connection/get-sso-connection.usecase';
import { ListSsoConnectionsUseCase } from './connections/usecases/list-sso-connections/list-sso-connections.usecase';
import { ListSsoTracesUseCase } from './connections/usecases/list-sso-traces/list-sso-traces.usecase';
import { SaveSsoConnectionUseCase } from './connections/usecases/save-sso-connection/save-sso-connection.usecase';

/** Single sign-on: each tenant's IdP connections (admin API), SAML 2.0 login per tenant. */
@Module({
  imports: [AccessTokensModule, AuthorizationModule],
  controllers: [SsoConnectionsController],
  providers: [
    SsoConnectionsRepository,
    SaveSsoConnectionUseCase,
    ListSsoConnectionsUseCase,
    GetSsoConnectionUseCase,
    DeleteSsoConnectionUseCase,
    ListSsoTracesUseCase,
  ],
})
export class SsoModule {}
