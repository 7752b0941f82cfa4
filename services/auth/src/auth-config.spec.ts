import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, requiredEnvVars, serviceEnvShape } from '@parley/config';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};
const kek = randomBytes(32).toString('base64');

describe('auth configuration', () => {
  it('has defaults for everything but the shared required variables', () => {
    const config = loadConfig('auth', base);
    expect(config.auth).toEqual({
      jwt: { issuer: 'parley', audience: 'parley-api' },
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      keyEncryptionKey: null,
      publicUrl: 'http://localhost:8000',
      trustProxyHops: 0,
      mail: {
        smtpUrl: 'smtp://127.0.0.1:2525',
        from: 'Parley <no-reply@localhost>',
        sendAttempts: 3,
        timeoutMs: 10_000,
        retryIntervalMs: 30_000,
        retryForSeconds: 86_400,
      },
      inviteTtlSeconds: 604_800,
      passwordResetTtlSeconds: 3600,
      lockout: { accountThreshold: 5, ipThreshold: 20, windowSeconds: 900, baseDelaySeconds: 30 },
      apiKeyVerify: { failureLimit: 600, windowSeconds: 60 },
      domains: { dnsResolvers: [], dnsTimeoutMs: 3000, mailTtlSeconds: 86_400 },
      ssoMetadata: { refreshIntervalMs: 3_600_000, maxAgeSeconds: 86_400 },
      socialProviders: [],
    });
    expect(config.jwt).toEqual({ issuer: 'parley', audience: 'parley-api' });
    expect(requiredEnvVars('auth').sort()).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'REDIS_URL']);
  });

  it('reads the DNS resolvers of domain verification, and refuses what is not an address', () => {
    const config = loadConfig('auth', { ...base, DNS_RESOLVERS: '10.0.0.2, 127.0.0.1:5353,[::1]:53' });
    expect(config.auth?.domains.dnsResolvers).toEqual(['10.0.0.2', '127.0.0.1:5353', '[::1]:53']);
    expect(() => loadConfig('auth', { ...base, DNS_RESOLVERS: 'dns.example.com' })).toThrow(/DNS_RESOLVERS/);
  });

  it('reads the social providers the operator turns on, and refuses one without its client or issuer', () => {
    const config = loadConfig('auth', {
      ...base,
      OAUTH_PROVIDERS: 'google, github,okta',
      OAUTH_GOOGLE_CLIENT_ID: 'g-id',
      OAUTH_GOOGLE_CLIENT_SECRET: 'g-secret',
      OAUTH_GITHUB_CLIENT_ID: 'gh-id',
      OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret',
      OAUTH_GITHUB_URL: 'https://github.example.com/',
      OAUTH_GITHUB_API_URL: 'https://github.example.com/api/v3',
      OAUTH_OKTA_CLIENT_ID: 'o-id',
      OAUTH_OKTA_CLIENT_SECRET: 'o-secret',
      OAUTH_OKTA_ISSUER: 'https://acme.okta.com/oauth2/default',
    });
    expect(config.auth?.socialProviders).toEqual([
      { id: 'google', kind: 'oidc', clientId: 'g-id', clientSecret: 'g-secret', issuer: 'https://accounts.google.com' },
      {
        id: 'github',
        kind: 'oauth2',
        clientId: 'gh-id',
        clientSecret: 'gh-secret',
        authorizationUrl: 'https://github.example.com/login/oauth/authorize',
        tokenUrl: 'https://github.example.com/login/oauth/access_token',
        apiUrl: 'https://github.example.com/api/v3',
      },
      {
        id: 'okta',
        kind: 'oidc',
        clientId: 'o-id',
        clientSecret: 'o-secret',
        issuer: 'https://acme.okta.com/oauth2/default',
      },
    ]);
    expect(() => loadConfig('auth', { ...base, OAUTH_PROVIDERS: 'facebook' })).toThrow(/OAUTH_PROVIDERS/);
    expect(() => loadConfig('auth', { ...base, OAUTH_PROVIDERS: 'github' })).toThrow(/OAUTH_GITHUB_CLIENT_ID/);
    expect(() =>
      loadConfig('auth', {
        ...base,
        OAUTH_PROVIDERS: 'azure',
        OAUTH_AZURE_CLIENT_ID: 'a',
        OAUTH_AZURE_CLIENT_SECRET: 'b',
      }),
    ).toThrow(/OAUTH_AZURE_ISSUER/);
  });

  it('decodes the key-encryption key and reads the token settings', () => {
    const config = loadConfig('auth', {
      ...base,
      JWT_ISSUER: 'https://id.example.com',
      JWT_AUDIENCE: 'example-api',
      ACCESS_TOKEN_TTL_SECONDS: '300',
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      AUTH_KEY_ENCRYPTION_KEY: kek,
    });
    expect(config.auth?.jwt).toEqual({ issuer: 'https://id.example.com', audience: 'example-api' });
    expect(config.auth?.accessTokenTtlSeconds).toBe(300);
    expect(config.auth?.refreshTokenTtlSeconds).toBe(3600);
    expect(config.auth?.keyEncryptionKey?.equals(Buffer.from(kek, 'base64'))).toBe(true);
  });

  it('gives the gateway the issuer and audience but no auth section; other services neither', () => {
    const gateway = loadConfig('gateway', { REDIS_URL: base.REDIS_URL, KAFKA_BROKERS: base.KAFKA_BROKERS });
    expect(gateway.jwt).toEqual({ issuer: 'parley', audience: 'parley-api' });
    expect(gateway.auth).toBeNull();
    expect(Object.keys(serviceEnvShape('gateway'))).not.toContain('AUTH_KEY_ENCRYPTION_KEY');
    const billing = loadConfig('billing', base);
    expect(billing.jwt).toBeNull();
    expect(billing.auth).toBeNull();
    expect(Object.keys(serviceEnvShape('billing'))).not.toContain('JWT_ISSUER');
  });

  it.each([
    ['not base64', 'not a key!'],
    ['16 bytes', randomBytes(16).toString('base64')],
    ['64 bytes', randomBytes(64).toString('base64')],
    ['base64url', 'A'.repeat(42) + '_-'],
  ])('refuses a key-encryption key that is %s, naming the variable', (_, value) => {
    expect(() => loadConfig('auth', { ...base, AUTH_KEY_ENCRYPTION_KEY: value })).toThrow(
      /AUTH_KEY_ENCRYPTION_KEY must be base64 of 32 bytes/,
    );
  });

  it('requires the key-encryption key in production', () => {
    expect(() => loadConfig('auth', { ...base, NODE_ENV: 'production' })).toThrow(
      /AUTH_KEY_ENCRYPTION_KEY is required when NODE_ENV is production/,
    );
    const internal = { INTERNAL_AUTH_SECRET: kek };
    expect(
      loadConfig('auth', { ...base, ...internal, NODE_ENV: 'production', AUTH_KEY_ENCRYPTION_KEY: kek }).nodeEnv,
    ).toBe('production');
  });

  it('refuses refresh tokens that do not outlive access tokens, and out-of-range lifetimes', () => {
    expect(() =>
      loadConfig('auth', { ...base, ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '3600' }),
    ).toThrow(/REFRESH_TOKEN_TTL_SECONDS must be longer than ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => loadConfig('auth', { ...base, ACCESS_TOKEN_TTL_SECONDS: '5' })).toThrow(
      /ACCESS_TOKEN_TTL_SECONDS must be >= 30/,
    );
  });

  it('reads mail, invite, reset, proxy and lockout settings', () => {
    const auth = loadConfig('auth', {
      ...base,
      PUBLIC_URL: 'https://app.example.com/',
      TRUST_PROXY_HOPS: '1',
      SMTP_URL: 'smtps://user:secret@mail.example.com:465',
      MAIL_FROM: 'Example <team@example.com>',
      MAIL_SEND_ATTEMPTS: '5',
      MAIL_TIMEOUT_MS: '3000',
      INVITE_TTL_SECONDS: '86400',
      PASSWORD_RESET_TTL_SECONDS: '900',
      AUTH_LOCKOUT_THRESHOLD: '3',
      AUTH_LOCKOUT_IP_THRESHOLD: '50',
      AUTH_LOCKOUT_WINDOW_SECONDS: '600',
      AUTH_LOCKOUT_BASE_DELAY_SECONDS: '10',
    }).auth;
    expect(auth).toMatchObject({
      publicUrl: 'https://app.example.com',
      trustProxyHops: 1,
      mail: {
        smtpUrl: 'smtps://user:secret@mail.example.com:465',
        from: 'Example <team@example.com>',
        sendAttempts: 5,
        timeoutMs: 3000,
      },
      inviteTtlSeconds: 86_400,
      passwordResetTtlSeconds: 900,
      lockout: { accountThreshold: 3, ipThreshold: 50, windowSeconds: 600, baseDelaySeconds: 10 },
    });
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.com', /SMTP_URL must be a URL like smtp:/],
    ['PUBLIC_URL', 'ftp://example.com', /PUBLIC_URL must be a URL like https:/],
    ['MAIL_FROM', 'nobody', /MAIL_FROM must be an address/],
    ['MAIL_SEND_ATTEMPTS', '0', /MAIL_SEND_ATTEMPTS must be >= 1/],
    ['TRUST_PROXY_HOPS', '-1', /TRUST_PROXY_HOPS must be >= 0/],
    ['AUTH_LOCKOUT_BASE_DELAY_SECONDS', '1000', /AUTH_LOCKOUT_BASE_DELAY_SECONDS must not be longer than/],
  ])('refuses a bad %s, naming it', (variable, value, message) => {
    expect(() => loadConfig('auth', { ...base, [variable]: value })).toThrow(message);
  });
});
