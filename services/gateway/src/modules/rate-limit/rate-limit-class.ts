import { SetMetadata } from '@nestjs/common';
import type { RateLimitClass } from '@parley/contracts';

export const RATE_LIMIT_CLASS = 'parley:rate-limit-class';

/**
 * What a route counts against (from the route table): `client` the client address, `principal`
 * the tenant and the user or API key. A route without it counts by principal when there is one.
 */
export const RateLimitBy = (limitClass: RateLimitClass): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_CLASS, limitClass);
