import { applyDecorators, Body, Controller, Delete, Get, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiProblems } from '../api-docs/api-problems.decorator';
import { Public } from '../auth/public.decorator';
import type { UpstreamResponse } from './http-forwarder';
import { clearedCookie, refreshRequestBody, toCookieSession, wantsCookieSession } from './session-cookie';
import { ForwardToAuthUseCase } from './usecases/forward-to-auth/forward-to-auth.usecase';

const JSON_BODY = { schema: { type: 'object', additionalProperties: true } } as const;
const REST = 'rest of the auth route, slashes included (sessions, api-keys/{id}, members, invites, …)';

/** One documented forwarded route per method (the auth service owns the paths under it). */
function Forwarded(summary: string): MethodDecorator {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiOperation({ summary }),
    ApiParam({ name: 'path', description: REST }),
    ApiProblems(400, 401, 404, 413, 429, 503),
  );
}

/**
 * The auth service's public API, forwarded over HTTP. Sign-up, sign-in, refresh, invite acceptance
 * and password reset need no access token (they are how one gets one); every other route under /api/v1/auth needs one here, and the
 * auth service checks it again. Request and response bodies are the auth service's, except that a
 * browser asking with `x-parley-session: cookie` gets its refresh token as an httpOnly cookie
 * (see session-cookie.ts).
 */
@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthProxyController {
  constructor(private readonly forward: ForwardToAuthUseCase) {}

  @Public()
  @Post([
    'sign-up',
    'sign-in',
    'refresh',
    'invites/accept',
    'password-reset',
    'password-reset/confirm',
    'domains/confirm',
  ])
  @ApiOperation({
    summary:
      'Sign up, sign in, refresh tokens, accept an invite, reset a password, confirm a domain by its mailed link (forwarded to the auth service; no token needed)',
  })
  @ApiBody(JSON_BODY)
  @ApiProblems(400, 401, 413, 429, 503)
  async credentials(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const refresh = req.path.endsWith('/refresh');
    const upstream = await this.forward.execute(this.command(req, refresh ? refreshRequestBody(req, body) : body));
    send(res, wantsCookieSession(req) ? toCookieSession(upstream, req.secure, refresh) : upstream);
  }

  /** Sign-out (with the access token); in cookie mode the refresh cookie is cleared too. */
  @Post('sign-out')
  @Forwarded('Sign out: revokes the session of the access token (and clears the refresh cookie)')
  async signOut(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const upstream = await this.forward.execute(this.command(req, body));
    send(res, wantsCookieSession(req) ? clearedCookie(upstream, req.secure) : upstream);
  }

  /** Switch organisation (with the access token): in cookie mode the new session's refresh token replaces the cookie. */
  @Post('switch-organization')
  @Forwarded('Switch to another of your organisations: a new session there; the current one is signed out')
  @ApiBody(JSON_BODY)
  async switchOrganization(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const upstream = await this.forward.execute(this.command(req, body));
    send(res, wantsCookieSession(req) ? toCookieSession(upstream, req.secure, false) : upstream);
  }

  @Get('*path')
  @Forwarded('Read an auth resource (forwarded with the token)')
  async get(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pass(req, res, undefined);
  }

  @Post('*path')
  @Forwarded('Create or act on an auth resource (forwarded with the token)')
  @ApiBody({ ...JSON_BODY, required: false })
  async post(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pass(req, res, body);
  }

  @Put('*path')
  @Forwarded('Replace an auth resource (forwarded with the token)')
  @ApiBody({ ...JSON_BODY, required: false })
  async put(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pass(req, res, body);
  }

  @Patch('*path')
  @Forwarded('Change an auth resource (forwarded with the token)')
  @ApiBody({ ...JSON_BODY, required: false })
  async patch(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pass(req, res, body);
  }

  @Delete('*path')
  @Forwarded('Delete or revoke an auth resource (forwarded with the token)')
  async delete(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.pass(req, res, undefined);
  }

  private async pass(req: Request, res: Response, body: unknown): Promise<void> {
    send(res, await this.forward.execute(this.command(req, body)));
  }

  private command(req: Request, body: unknown) {
    return {
      method: req.method,
      originalUrl: req.originalUrl,
      body,
      authorization: req.headers.authorization,
      clientIp: req.ip,
    };
  }
}

function send(res: Response, upstream: UpstreamResponse): void {
  res.status(upstream.status);
  for (const [name, value] of Object.entries(upstream.headers)) res.setHeader(name, value);
  res.end(upstream.body);
}
