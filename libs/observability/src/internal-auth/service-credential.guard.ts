import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { SERVICE_CREDENTIAL_HEADER } from '@parley/contracts';
import { InternalTokens } from './internal-tokens';

/**
 * `@UseGuards(ServiceCredentialGuard)` on every `internal/...` route: only another Parley service
 * (holding the internal-auth secret) may call it; anyone else gets 401 `invalid_service_credential`.
 */
@Injectable()
export class ServiceCredentialGuard implements CanActivate {
  constructor(private readonly tokens: InternalTokens) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    await this.tokens.verifyServiceCredential(request.header(SERVICE_CREDENTIAL_HEADER));
    return true;
  }
}
