import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'parley:public';

/** Marks a route that needs no credentials. Every other route is authenticated. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Routes of the shared HealthController (@parley/observability), which cannot carry @Public():
 * probes and scrapes, not the public API.
 */
export const INFRASTRUCTURE_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready', '/metrics']);
