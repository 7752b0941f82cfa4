import { Global, Module } from '@nestjs/common';
import { InternalPrincipalGuard } from './internal-principal.guard';

/** The internal-principal guard, for `@UseGuards(InternalPrincipalGuard)` on every stt controller. */
@Global()
@Module({ providers: [InternalPrincipalGuard], exports: [InternalPrincipalGuard] })
export class PrincipalModule {}
