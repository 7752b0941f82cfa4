import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SOCIAL_PROVIDER_NAMES, SOCIAL_ROUTES, type SocialProvidersView } from '@parley/contracts';
import { SocialProviders } from './social-providers';
import { CompleteSocialLoginUseCase } from './usecases/complete-social-login/complete-social-login.usecase';
import { StartSocialLoginUseCase } from './usecases/start-social-login/start-social-login.usecase';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Platform-wide social sign-in (public; the gateway forwards `/api/v1/auth/oauth/*`). The callback
 * answers JSON (the session plus `redirectTo`); the gateway turns it into the refresh cookie and a
 * 303, and a refusal into a 303 to the sign-in page.
 */
@Controller('oauth')
export class SocialController {
  constructor(
    private readonly providers: SocialProviders,
    private readonly startLogin: StartSocialLoginUseCase,
    private readonly complete: CompleteSocialLoginUseCase,
  ) {}

  @Get('providers')
  list(): SocialProvidersView {
    return {
      providers: this.providers.list().map(({ id }) => ({
        id,
        name: SOCIAL_PROVIDER_NAMES[id],
        loginUrl: SOCIAL_ROUTES.login(id),
      })),
    };
  }

  @Get(':provider/login')
  async login(
    @Param('provider') provider: string,
    @Query('redirectTo') redirectTo: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { location } = await this.startLogin.execute({ provider, redirectTo: text(redirectTo) });
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, location);
  }

  @Get(':provider/callback')
  callback(@Param('provider') provider: string, @Query() query: Record<string, unknown>) {
    return this.complete.execute({
      provider,
      code: text(query.code),
      state: text(query.state),
      error: text(query.error),
      errorDescription: text(query.error_description),
    });
  }
}
