import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { DiscoverSignInUseCase } from './discover-sign-in.usecase';

/** Home-realm discovery for the sign-in page (public: the email is all it takes). */
@Controller('auth/sign-in/discover')
export class DiscoveryController {
  constructor(private readonly discover: DiscoverSignInUseCase) {}

  @Post()
  @HttpCode(200)
  execute(@Body() body: unknown) {
    return this.discover.execute(body);
  }
}
