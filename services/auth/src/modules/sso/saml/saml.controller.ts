import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readFormBody } from './form-body';
import { ConsumeSamlResponseUseCase } from './usecases/consume-saml-response/consume-saml-response.usecase';
import { GetSamlMetadataUseCase } from './usecases/get-saml-metadata/get-saml-metadata.usecase';
import {
  HandleSamlLogoutUseCase,
  type SamlLogoutOutcome,
} from './usecases/handle-saml-logout/handle-saml-logout.usecase';
import { StartSamlLoginUseCase } from './usecases/start-saml-login/start-saml-login.usecase';

/**
 * SAML 2.0, one service provider per tenant (public: the gateway forwards `/api/v1/sso/saml/*`).
 * The ACS answers JSON (the session as sign-in answers it, plus `redirectTo`); the gateway turns it
 * into the browser's refresh cookie and a 303 to `redirectTo`.
 */
@Controller('sso/saml/:tenantSlug')
export class SamlController {
  constructor(
    private readonly metadataOf: GetSamlMetadataUseCase,
    private readonly startLogin: StartSamlLoginUseCase,
    private readonly consume: ConsumeSamlResponseUseCase,
    private readonly logout: HandleSamlLogoutUseCase,
  ) {}

  @Get('metadata')
  async metadata(@Param('tenantSlug') tenantSlug: string, @Res() res: Response): Promise<void> {
    const xml = await this.metadataOf.execute(tenantSlug);
    res.status(200).type('application/samlmetadata+xml').send(xml);
  }

  @Get('login')
  async login(
    @Param('tenantSlug') tenantSlug: string,
    @Query('redirectTo') redirectTo: unknown,
    @Query('test') test: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const { location } = await this.startLogin.execute({
      tenantSlug,
      redirectTo: typeof redirectTo === 'string' ? redirectTo : undefined,
      test: test === '1' || test === 'true',
    });
    res.setHeader('cache-control', 'no-store');
    res.redirect(302, location);
  }

  @Post('acs')
  @HttpCode(200)
  async acs(@Param('tenantSlug') tenantSlug: string, @Req() req: Request) {
    const form = await readFormBody(req);
    return this.consume.execute({
      tenantSlug,
      samlResponse: form.get('SAMLResponse') ?? undefined,
      relayState: form.get('RelayState') ?? undefined,
    });
  }

  /** Single logout, HTTP-Redirect binding: the signed query as it arrived. */
  @Get('slo')
  async sloRedirect(@Param('tenantSlug') tenantSlug: string, @Req() req: Request, @Res() res: Response) {
    const query = req.originalUrl.indexOf('?');
    const rawQuery = query === -1 ? '' : req.originalUrl.slice(query + 1);
    answer(res, await this.logout.execute({ tenantSlug, binding: 'redirect', rawQuery }));
  }

  /** Single logout, HTTP-POST binding. */
  @Post('slo')
  async sloPost(@Param('tenantSlug') tenantSlug: string, @Req() req: Request, @Res() res: Response) {
    answer(res, await this.logout.execute({ tenantSlug, binding: 'post', form: await readFormBody(req) }));
  }
}

/** Back to the IdP (302), or our logout done: JSON `redirectTo`, which the gateway makes a 303. */
function answer(res: Response, outcome: SamlLogoutOutcome): void {
  res.setHeader('cache-control', 'no-store');
  if ('location' in outcome) res.redirect(302, outcome.location);
  else res.status(200).json(outcome);
}
