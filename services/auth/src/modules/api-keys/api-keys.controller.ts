import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { createApiKeyBodySchema, parseInput } from '@parley/contracts';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { CreateApiKeyCommand } from './usecases/create-api-key/create-api-key.command';
import { CreateApiKeyUseCase } from './usecases/create-api-key/create-api-key.usecase';
import { ListApiKeysCommand } from './usecases/list-api-keys/list-api-keys.command';
import { ListApiKeysUseCase } from './usecases/list-api-keys/list-api-keys.usecase';
import { RevokeApiKeyCommand } from './usecases/revoke-api-key/revoke-api-key.command';
import { RevokeApiKeyUseCase } from './usecases/revoke-api-key/revoke-api-key.usecase';

/** API keys of the caller's tenant (the tenant of the access token, nothing else). */
@Controller('auth/api-keys')
@UseGuards(BearerAuthGuard)
export class ApiKeysController {
  constructor(
    private readonly createKey: CreateApiKeyUseCase,
    private readonly listKeys: ListApiKeysUseCase,
    private readonly revokeKey: RevokeApiKeyUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  create(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.createKey.execute(CreateApiKeyCommand.create(access, parseInput(createApiKeyBodySchema, body, 'body')));
  }

  @Get()
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listKeys.execute(ListApiKeysCommand.create(access));
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.revokeKey.execute(RevokeApiKeyCommand.create(access, id));
  }
}
