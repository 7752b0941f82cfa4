import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { parseInput, verifyApiKeyBodySchema } from '@parley/contracts';
import { VerifyApiKeyCommand } from './usecases/verify-api-key/verify-api-key.command';
import { VerifyApiKeyUseCase } from './usecases/verify-api-key/verify-api-key.usecase';

/**
 * Service-to-service (a service credential, required on every `internal/` route): the gateway
 * verifies `pk_…` keys here. Contract: 200 with `{ keyId, tenantId, scopes, plan, expiresAt }`,
 * 401 `invalid_api_key`, or 429 `too_many_attempts` (Retry-After) past the refused-key limit; the
 * gateway may cache an answer for at most 5 s, so a revocation is honoured by every replica within 5 s.
 */
@Controller('internal/api-keys')
export class ApiKeyVerificationController {
  constructor(private readonly verifyKey: VerifyApiKeyUseCase) {}

  @Post('verify')
  @HttpCode(200)
  verify(@Body() body: unknown) {
    return this.verifyKey.execute(VerifyApiKeyCommand.create(parseInput(verifyApiKeyBodySchema, body, 'body')));
  }
}
