import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { ClaimDomainUseCase } from './usecases/claim-domain/claim-domain.usecase';
import { ConfirmDomainMailUseCase } from './usecases/confirm-domain-mail/confirm-domain-mail.usecase';
import {
  ClaimDomainCommand,
  DomainCommand,
  ListDomainsCommand,
  SendDomainMailCommand,
} from './usecases/domain-commands';
import { ListDomainsUseCase } from './usecases/list-domains/list-domains.usecase';
import { RemoveDomainUseCase } from './usecases/remove-domain/remove-domain.usecase';
import { SendDomainMailUseCase } from './usecases/send-domain-mail/send-domain-mail.usecase';
import { VerifyDomainUseCase } from './usecases/verify-domain/verify-domain.usecase';

/**
 * The caller's tenant's claimed domains (owners and admins): claim, prove by DNS or by mail, give
 * up. Confirming a mailed link is public (the token is the proof).
 */
@Controller('auth/domains')
export class DomainsController {
  constructor(
    private readonly listDomains: ListDomainsUseCase,
    private readonly claimDomain: ClaimDomainUseCase,
    private readonly verifyDomain: VerifyDomainUseCase,
    private readonly sendDomainMail: SendDomainMailUseCase,
    private readonly confirmDomainMail: ConfirmDomainMailUseCase,
    private readonly removeDomain: RemoveDomainUseCase,
  ) {}

  @Get()
  @UseGuards(BearerAuthGuard)
  list(@CurrentAccess() access: VerifiedAccess) {
    return this.listDomains.execute(ListDomainsCommand.create(access));
  }

  @Post()
  @HttpCode(201)
  @UseGuards(BearerAuthGuard)
  claim(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.claimDomain.execute(ClaimDomainCommand.create(access, body));
  }

  @Post('confirm')
  @HttpCode(200)
  confirm(@Body() body: unknown) {
    return this.confirmDomainMail.execute(body);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @UseGuards(BearerAuthGuard)
  verify(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.verifyDomain.execute(DomainCommand.create(access, id));
  }

  @Post(':id/verification-mail')
  @HttpCode(200)
  @UseGuards(BearerAuthGuard)
  mail(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string, @Body() body: unknown) {
    return this.sendDomainMail.execute(SendDomainMailCommand.create(access, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  remove(@CurrentAccess() access: VerifiedAccess, @Param('id') id: string) {
    return this.removeDomain.execute(DomainCommand.create(access, id));
  }
}
