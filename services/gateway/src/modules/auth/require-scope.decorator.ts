import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '@parley/contracts';

export const REQUIRED_SCOPE = 'parley:required-scope';

/**
 * The scope an API key needs for this route (or every route of a controller). Checked by the
 * AuthGuard right after authentication: an API key without it (or `*`) gets 403
 * `insufficient_scope`; access tokens and the self-hosted anonymous principal are not limited by
 * scopes. Routes without it accept any valid key.
 */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, scope);
