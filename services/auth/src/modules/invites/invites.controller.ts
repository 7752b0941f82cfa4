import { Body, Controller, Delete, Get, HttpCode, Ip, Param, Post, UseGuards } from '@nestjs/common';
import { acceptInviteBodySchema, createInviteBodySchema, parseInput } from '@parley/contracts';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { AcceptInviteCommand } from './usecases/accept-invite/accept-invite.command';
import { AcceptInviteUseCase } from './usecases/accept-invite/accept-invite.usecase';
import { CreateInviteCommand } from './usecases/create-invite/create-invite.command';
import { CreateInviteUseCase } from './usecases/create-invite/create-invite.usecase';
import { ListInvitesCommand } from './usecases/list-invites/list-invites.command';
import { ListInvitesUseCase } from './usecases/list-invites/list-invites.usecase';
import { RevokeInviteCommand } from './usecases/revoke-invite/revoke-invite.command';
import { RevokeInviteUseCase } from './usecases/revoke-invite/revoke-invite.usecase';

/** Invites to the caller's tenant (from the access token), and accepting one (public: the token is the proof). */
@Controller('auth/invites')
export class InvitesController {
  constructor(
    private readonly createInvite: CreateInviteUseCase,
    private readonly listInvites: ListInvitesUseCase,
    private readonly revokeInvite: RevokeInviteUseCase,
    private readonly acceptInvite: AcceptInviteUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @UseGuards(BearerAuthGuard)
  create(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.createInvite.execute(
      CreateInviteCommand.create(access, parseInput(createInviteBodySchema, body, 'body')),
    );
  }

  @Get()
  @UseGuards(BearerAuthGuard)
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listInvites.execute(ListInvitesCommand.create(access));
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  revoke(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.revokeInvite.execute(RevokeInviteCommand.create(access, id));
  }

  @Post('accept')
  @HttpCode(200)
  accept(@Body() body: unknown, @Ip() ip: string) {
    return this.acceptInvite.execute(AcceptInviteCommand.create(parseInput(acceptInviteBodySchema, body, 'body'), ip));
  }
}
