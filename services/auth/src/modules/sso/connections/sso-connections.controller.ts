import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../../access-tokens/current-access.decorator';
import { SsoConnectionCommand } from './sso-connection.command';
import { DeleteSsoConnectionUseCase } from './usecases/delete-sso-connection/delete-sso-connection.usecase';
import { GetSsoConnectionUseCase } from './usecases/get-sso-connection/get-sso-connection.usecase';
import { ListSsoConnectionsUseCase } from './usecases/list-sso-connections/list-sso-connections.usecase';
import { TestLdapConnectionUseCase } from '../ldap/usecases/test-ldap-connection/test-ldap-connection.usecase';
import { ListSsoTracesUseCase } from './usecases/list-sso-traces/list-sso-traces.usecase';
import { RotateSpSigningKeyUseCase } from './usecases/rotate-sp-signing-key/rotate-sp-signing-key.usecase';
import { SaveSsoConnectionCommand } from './usecases/save-sso-connection/save-sso-connection.command';
import { SaveSsoConnectionUseCase } from './usecases/save-sso-connection/save-sso-connection.usecase';

/** The SSO connections of the caller's tenant (owners and admins; the tenant of the access token only). */
@Controller('auth/sso/connections')
@UseGuards(BearerAuthGuard)
export class SsoConnectionsController {
  constructor(
    private readonly save: SaveSsoConnectionUseCase,
    private readonly listAll: ListSsoConnectionsUseCase,
    private readonly getOne: GetSsoConnectionUseCase,
    private readonly remove: DeleteSsoConnectionUseCase,
    private readonly listTraces: ListSsoTracesUseCase,
    private readonly testLdap: TestLdapConnectionUseCase,
    private readonly signingKey: RotateSpSigningKeyUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.save.execute(SaveSsoConnectionCommand.create(access, body));
  }

  @Get()
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listAll.execute(SsoConnectionCommand.all(access));
  }

  @Get(':id')
  get(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.getOne.execute(SsoConnectionCommand.one(access, id));
  }

  @Put(':id')
  replace(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.save.execute(SaveSsoConnectionCommand.create(access, body, id));
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.remove.execute(SsoConnectionCommand.one(access, id));
  }

  @Get(':id/traces')
  traces(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.listTraces.execute(SsoConnectionCommand.one(access, id));
  }

  @Post(':id/signing-key/next')
  @HttpCode(201)
  prepareSigningKey(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.signingKey.execute(SsoConnectionCommand.one(access, id), 'prepare');
  }

  @Delete(':id/signing-key/next')
  @HttpCode(200)
  discardSigningKey(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.signingKey.execute(SsoConnectionCommand.one(access, id), 'discard');
  }

  @Post(':id/signing-key/activate')
  @HttpCode(200)
  activateSigningKey(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.signingKey.execute(SsoConnectionCommand.one(access, id), 'activate');
  }

  @Post(':id/test')
  @HttpCode(200)
  test(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.testLdap.execute(SsoConnectionCommand.one(access, id), body);
  }
}
