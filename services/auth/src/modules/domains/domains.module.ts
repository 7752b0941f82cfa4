import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { AuthorizationModule } from '../authorization/authorization.module';
import { MailModule } from '../mail/mail.module';
import { DnsTxtLookup } from './dns-txt-lookup';
import { DomainsController } from './domains.controller';
import { DomainsRepository } from './domains.repository';
import { ClaimDomainUseCase } from './usecases/claim-domain/claim-domain.usecase';
import { ConfirmDomainMailUseCase } from './usecases/confirm-domain-mail/confirm-domain-mail.usecase';
import { ListDomainsUseCase } from './usecases/list-domains/list-domains.usecase';
import { RemoveDomainUseCase } from './usecases/remove-domain/remove-domain.usecase';
import { SendDomainMailUseCase } from './usecases/send-domain-mail/send-domain-mail.usecase';
import { VerifyDomainUseCase } from './usecases/verify-domain/verify-domain.usecase';

/** Verified domains: a tenant proves it owns a domain (DNS TXT or an admin mailbox), one tenant per domain. */
@Module({
  imports: [AccessTokensModule, AuthorizationModule, MailModule],
  controllers: [DomainsController],
  providers: [
    DomainsRepository,
    DnsTxtLookup,
    ListDomainsUseCase,
    ClaimDomainUseCase,
    VerifyDomainUseCase,
    SendDomainMailUseCase,
    ConfirmDomainMailUseCase,
    RemoveDomainUseCase,
  ],
  exports: [DomainsRepository],
})
export class DomainsModule {}
