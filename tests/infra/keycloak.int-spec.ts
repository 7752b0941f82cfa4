import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedKeycloak, type KeycloakAdmin } from '@parley/testing';

/**
 * The Keycloak of the test run (scripts/keycloak.sh, started once per run by the first file that
 * asks) and the admin helpers the SSO tests build their identity providers with.
 */
describe('Keycloak for SSO tests: one instance per run, realms and clients through the admin API', () => {
  let admin: KeycloakAdmin;
  let realm: string;

  // A fresh machine first downloads (177 MB) and builds Keycloak (~80 s) before it starts.
  beforeAll(async () => {
    ({ admin } = await sharedKeycloak());
    realm = await admin.createRealm('infra');
  }, 900_000);

  afterAll(async () => {
    if (realm) await admin.deleteRealm(realm);
  });

  it('gives the same instance to a second caller of the same run', async () => {
    const again = await sharedKeycloak();
    expect(again.admin.url).toBe(admin.url);
    expect(again.env.readySeconds).toBeGreaterThanOrEqual(0);
  });

  it('creates a SAML client, groups and a user; the realm publishes signed-IdP metadata', async () => {
    await admin.createSamlClient(realm, {
      entityId: 'https://parley.test/sp',
      acsUrl: 'http://127.0.0.1:1/api/v1/sso/saml/acme/acs',
    });
    await admin.createGroup(realm, 'engineering');
    const userId = await admin.createUser(realm, {
      username: 'ada',
      email: 'ada@example.com',
      password: 'ada password 123',
      groups: ['engineering'],
    });
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    const metadata = await admin.samlIdpMetadata(realm);
    expect(metadata).toContain(`entityID="${admin.url}/realms/${realm}"`);
    expect(metadata).toMatch(/<(ds:|dsig:)?X509Certificate>[A-Za-z0-9+/=\s]+</);
    expect(metadata).toContain('SingleSignOnService');
  });

  it('creates an OIDC client; discovery names the realm as issuer', async () => {
    await admin.createOidcClient(realm, { clientId: 'parley', redirectUris: ['http://127.0.0.1:1/cb'] });
    const res = await fetch(`${admin.oidcIssuer(realm)}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as { issuer: string; code_challenge_methods_supported: string[] };
    expect(discovery.issuer).toBe(admin.oidcIssuer(realm));
    expect(discovery.code_challenge_methods_supported).toContain('S256');
  });
});
