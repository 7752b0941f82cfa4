import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { parseInput, refreshBodySchema } from '@parley/contracts';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { RefreshSessionCommand } from './usecases/refresh-session/refresh-session.command';
import { RefreshSessionUseCase } from './usecases/refresh-session/refresh-session.usecase';
import { SignOutUseCase } from './usecases/sign-out/sign-out.usecase';

@Controller('auth')
export class SessionsController {
  constructor(
    private readonly refreshSession: RefreshSessionUseCase,
    private readonly signOutSession: SignOutUseCase,
  ) {}

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: unknown) {
    return this.refreshSession.execute(
      RefreshSessionCommand.create(parseInput(refreshBodySchema.required(), body, 'body')),
    );
  }

  @Post('sign-out')
  @HttpCode(204)
  @UseGuards(BearerAuthGuard)
  async signOut(@CurrentAccess() access: VerifiedAccess, @Res({ passthrough: true }) res: Response) {
    const signedOut = await this.signOutSession.execute(access);
    // A SAML single logout to follow: 200 with where the browser goes next; else 204.
    if (signedOut) res.status(200);
    return signedOut ?? undefined;
  }
}
