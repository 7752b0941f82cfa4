import { Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { GetJwksUseCase } from './usecases/get-jwks/get-jwks.usecase';
import { RotateSigningKeyUseCase } from './usecases/rotate-signing-key/rotate-signing-key.usecase';

/**
 * The public keys that verify access tokens (the gateway reads them) and the cluster-internal
 * rotation route. A verifier that meets an unknown kid refetches the JWKS.
 */
@Controller()
export class SigningKeysController {
  constructor(
    private readonly getJwks: GetJwksUseCase,
    private readonly rotate: RotateSigningKeyUseCase,
  ) {}

  @Get('.well-known/jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks() {
    return this.getJwks.execute();
  }

  @Post('internal/signing-keys/rotate')
  @HttpCode(201)
  rotateKey() {
    return this.rotate.execute();
  }
}
