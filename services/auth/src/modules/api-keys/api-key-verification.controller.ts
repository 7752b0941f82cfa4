import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { VerifyApiKeyDto } from './dtos/verify-api-key.dto';
import { VerifyApiKeyCommand } from './usecases/verify-api-key/verify-api-key.command';
import { VerifyApiKeyUseCase } from './usecases/verify-api-key/verify-api-key.usecase';

/**
 * Cluster-internal (NetworkPolicy): the gateway verifies `pk_…` keys here. Contract: 200 with
 * `{ keyId, tenantId, scopes, plan, expiresAt }` or 401 `invalid_api_key`; the gateway may cache an
 * answer for at most 5 s, so a revocation is honoured by every replica within 5 s.
 */
@Controller('internal/api-keys')
export class ApiKeyVerificationController {
  constructor(private readonly verifyKey: VerifyApiKeyUseCase) {}

  @Post('verify')
  @HttpCode(200)
  verify(@Body() body: VerifyApiKeyDto) {
    return this.verifyKey.execute(VerifyApiKeyCommand.create(body));
  }
}
