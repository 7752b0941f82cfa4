import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import type { VerifiedAccess } from '../../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../../access-tokens/current-access.decorator';
import { ManageSsoPolicyUseCase, SsoPolicyCommand } from './manage-sso-policy.usecase';

/** "SSO required" and its break-glass owners (owners and admins). */
@Controller('auth/sso/policy')
@UseGuards(BearerAuthGuard)
export class SsoPolicyController {
  constructor(private readonly policy: ManageSsoPolicyUseCase) {}

  @Get()
  get(@CurrentAccess() access: VerifiedAccess) {
    return this.policy.get(SsoPolicyCommand.create(access));
  }

  @Put()
  save(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.policy.save(SsoPolicyCommand.create(access), body);
  }
}
