import { type AppConfig, ConfigValidationError } from '@parley/config';

/**
 * AUTH_REQUIRED=false lets credential-less requests act as the default tenant's owner: only a
 * self-hosted deployment (one tenant, one organisation) may do that. Refused at boot otherwise.
 */
export function assertAuthMode(config: AppConfig): void {
  if (config.gateway && !config.gateway.authRequired && config.deploymentMode !== 'self-hosted') {
    throw new ConfigValidationError(config.service, [
      {
        variable: 'AUTH_REQUIRED',
        message: `may be false only when DEPLOYMENT_MODE is self-hosted (DEPLOYMENT_MODE is ${config.deploymentMode})`,
      },
    ]);
  }
}
