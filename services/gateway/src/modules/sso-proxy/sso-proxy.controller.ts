import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainException, ErrorCode, SSO_LIMITS } from '@parley/contracts';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { Public } from '../auth/public.decorator';
import type { UpstreamResponse } from '../auth-proxy/http-forwarder';
import { ssoBrowserSession } from './sso-browser-session';
import { ForwardToSsoUseCase } from './usecases/forward-to-sso/forward-to-sso.usecase';

/**
 * Single sign-on's public routes (SAML per tenant), forwarded to the auth service. No token: the
 * browser arrives from the IdP. A successful ACS post sets the refresh cookie and redirects (303).
 */
@ApiTags('sso')
@Public()
@Controller('api/v1/sso')
export class SsoProxyController {
  constructor(private readonly forward: ForwardToSsoUseCase) {}

  @Get('saml/:tenantSlug/metadata')
  @ApiOperation({ summary: 'Our SAML service-provider metadata for a tenant (XML)' })
  @ApiParam({ name: 'tenantSlug' })
  @ApiProblems(404, 429, 503)
  async metadata(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.forward.execute({ method: 'GET', originalUrl: req.originalUrl, clientIp: req.ip }));
  }

  @Get('saml/:tenantSlug/login')
  @ApiOperation({ summary: 'SP-initiated SAML login: a redirect to the tenant’s IdP (?redirectTo=/path)' })
  @ApiParam({ name: 'tenantSlug' })
  @ApiProblems(400, 404, 429, 503)
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    send(res, await this.forward.execute({ method: 'GET', originalUrl: req.originalUrl, clientIp: req.ip }));
  }

  @Post('saml/:tenantSlug/acs')
  @HttpCode(303)
  @ApiOperation({ summary: 'SAML assertion consumer service (HTTP-POST form: SAMLResponse, RelayState)' })
  @ApiParam({ name: 'tenantSlug' })
  @ApiProblems(401, 404, 409, 413, 415, 429, 503)
  async acs(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req);
    const upstream = await this.forward.execute({
      method: 'POST',
      originalUrl: req.originalUrl,
      form,
      clientIp: req.ip,
    });
    send(res, ssoBrowserSession(upstream, req.secure));
  }
}

/** The raw form body, bounded (413), of the one media type the HTTP-POST binding uses (else 415). */
async function readForm(req: Request): Promise<string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new DomainException(ErrorCode.UnsupportedMediaType, 'Expected an application/x-www-form-urlencoded form');
  }
  const limit = SSO_LIMITS.acsFormBytes;
  const tooLarge = () =>
    new DomainException(ErrorCode.PayloadTooLarge, `The form is larger than ${limit} bytes`, { limit });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: Response, upstream: UpstreamResponse): void {
  res.status(upstream.status);
  for (const [name, value] of Object.entries(upstream.headers)) res.setHeader(name, value);
  res.end(upstream.body);
}
