import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { LdapSignInUseCase } from './usecases/ldap-sign-in/ldap-sign-in.usecase';

/** Sign-in with a tenant's directory (public: the gateway forwards `/api/v1/sso/ldap/*`, rate limited per client). */
@Controller('sso/ldap/:tenantSlug')
export class LdapController {
  constructor(private readonly signIn: LdapSignInUseCase) {}

  @Post('sign-in')
  @HttpCode(200)
  signInWith(@Param('tenantSlug') tenantSlug: string, @Body() body: unknown) {
    return this.signIn.execute({ tenantSlug, body });
  }
}
