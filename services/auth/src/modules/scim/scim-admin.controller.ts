import { Body, Controller, Delete, Get, HttpCode, Post, Put, UseGuards } from '@nestjs/common';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { ManageScimDirectoryUseCase, ScimDirectoryCommand } from './usecases/manage-scim-directory.usecase';

/** The tenant's directory sync, for owners and admins: token (shown once), settings, off. */
@Controller('auth/scim')
@UseGuards(BearerAuthGuard)
export class ScimAdminController {
  constructor(private readonly directory: ManageScimDirectoryUseCase) {}

  @Get()
  get(@CurrentAccess() access: VerifiedAccess) {
    return this.directory.get(ScimDirectoryCommand.create(access));
  }

  @Post('token')
  @HttpCode(201)
  rotate(@CurrentAccess() access: VerifiedAccess) {
    return this.directory.rotateToken(ScimDirectoryCommand.create(access));
  }

  @Put('settings')
  settings(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.directory.saveSettings(ScimDirectoryCommand.create(access), body);
  }

  @Delete()
  @HttpCode(204)
  disable(@CurrentAccess() access: VerifiedAccess) {
    return this.directory.disable(ScimDirectoryCommand.create(access));
  }
}
