import { Body, Controller, Get, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { parseInput, signInBodySchema, signUpBodySchema } from '@parley/contracts';
import type { VerifiedAccess } from '../access-tokens/access-token.claims';
import { BearerAuthGuard } from '../access-tokens/bearer-auth.guard';
import { CurrentAccess } from '../access-tokens/current-access.decorator';
import { GetMeUseCase } from './usecases/get-me/get-me.usecase';
import { ListMembershipsUseCase } from './usecases/list-memberships/list-memberships.usecase';
import { SwitchOrganizationUseCase } from './usecases/switch-organization/switch-organization.usecase';
import { SignInCommand } from './usecases/sign-in/sign-in.command';
import { SignInUseCase } from './usecases/sign-in/sign-in.usecase';
import { SignUpCommand } from './usecases/sign-up/sign-up.command';
import { SignUpUseCase } from './usecases/sign-up/sign-up.usecase';

@Controller('auth')
export class AccountsController {
  constructor(
    private readonly signUpUser: SignUpUseCase,
    private readonly signInUser: SignInUseCase,
    private readonly getMe: GetMeUseCase,
    private readonly listMemberships: ListMembershipsUseCase,
    private readonly switchOrganization: SwitchOrganizationUseCase,
  ) {}

  @Post('sign-up')
  @HttpCode(201)
  signUp(@Body() body: unknown) {
    return this.signUpUser.execute(SignUpCommand.create(parseInput(signUpBodySchema, body, 'body')));
  }

  @Post('sign-in')
  @HttpCode(200)
  signIn(@Body() body: unknown, @Ip() ip: string) {
    return this.signInUser.execute(SignInCommand.create(parseInput(signInBodySchema, body, 'body'), ip));
  }

  @Get('me')
  @UseGuards(BearerAuthGuard)
  me(@CurrentAccess() access: VerifiedAccess) {
    return this.getMe.execute(access);
  }

  @Get('memberships')
  @UseGuards(BearerAuthGuard)
  memberships(@CurrentAccess() access: VerifiedAccess) {
    return this.listMemberships.execute(access);
  }

  @Post('switch-organization')
  @HttpCode(200)
  @UseGuards(BearerAuthGuard)
  switchTo(@CurrentAccess() access: VerifiedAccess, @Body() body: unknown) {
    return this.switchOrganization.execute(access, body);
  }
}
