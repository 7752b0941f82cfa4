import { Module } from '@nestjs/common';
import { DomainsModule } from '../../domains/domains.module';
import { SsoPolicyModule } from '../enforcement/sso-policy.module';
import { DiscoverSignInUseCase } from './discover-sign-in.usecase';
import { DiscoveryController } from './discovery.controller';

/** Email-first sign-in: which organisation's IdP a verified domain leads to. */
@Module({
  imports: [DomainsModule, SsoPolicyModule],
  controllers: [DiscoveryController],
  providers: [DiscoverSignInUseCase],
})
export class DiscoveryModule {}
