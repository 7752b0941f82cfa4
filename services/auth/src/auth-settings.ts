import type { AppConfig } from '@parley/config';

export type AuthSettings = NonNullable<AppConfig['auth']>;

/** The auth section of the validated config; loadConfig('auth', …) always sets it. */
export function authSettings(config: AppConfig): AuthSettings {
  if (!config.auth) throw new Error(`Service "${config.service}" has no auth configuration`);
  return config.auth;
}
