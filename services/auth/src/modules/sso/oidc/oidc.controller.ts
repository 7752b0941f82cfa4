import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CompleteOidcLoginUseCase } from './usecases/complete-oidc-login/complete-oidc-login.usecase';
import { StartOidcLoginUseCase } from './usecases/start-oidc-login/start-oidc-login.usecase';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * OIDC, one relying party per tenant (public: the gateway forwards `/api/v1/sso/oidc/*`). The
 * callback answers JSON (the session as sign-in answers it, plus `redirectTo`); the gateway turns it
 * into the browser's refresh cookie and a 303 to `redirectTo`.
 */
@Controller('sso/oidc/:tenantSlug')
export class OidcController {
  constructor(
    private readonly startLogin: StartOidcLoginUseCase,
    private readonly complete: CompleteOidcLoginUseCase,
  ) {}

  @Get('login')
  async login(
    @Param('tenantSlug') tenantSlug: string,
    @Query('redirectTo') redirectTo: unknown,
    @Query('test') test: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { location } = await this.startLogin.execute({
      tenantSlug,
      redirectTo: text(redirectTo),
      test: test === '1' || test === 'true',
    });
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, location);
  }

  @Get('callback')
  callback(@Param('tenantSlug') tenantSlug: string, @Query() query: Record<string, unknown>) {
    return this.complete.execute({
      tenantSlug,
      code: text(query.code),
      state: text(query.state),
      error: text(query.error),
      errorDescription: text(query.error_description),
    });
  }
}
