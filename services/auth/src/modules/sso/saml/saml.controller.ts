import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readFormBody } from './form-body';
import { ConsumeSamlResponseUseCase } from './usecases/consume-saml-response/consume-saml-response.usecase';
import { GetSamlMetadataUseCase } from './usecases/get-saml-metadata/get-saml-metadata.usecase';
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
}
