import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@parley/testing';
import { AuthStack, type Session } from '../../../../testing/auth-stack';
import { generateIdpKeys, idpMetadataXml, type TestIdpKeys } from '../../../../testing/test-idp-keys';

/**
 * The daily refresh of SAML metadata URLs, run by the real job (a pass every 200 ms here, metadata
 * older than 1 s due) against an IdP metadata endpoint on loopback: a certificate rollover the IdP
 * publishes is picked up, a failing endpoint keeps the settings in use and shows why, and a
 * recovered one clears the error.
 */
describe('SSO: metadata URLs are read again (daily by default) and the last refresh is shown', () => {
  let stack: AuthStack;
  let owner: Session;
  let keys: TestIdpKeys;
  let next: TestIdpKeys;
  let server: Server;
  let url: string;
  let answer: 'current' | 'rollover' | 'broken' = 'current';

  beforeAll(async () => {
    keys = generateIdpKeys('refresh-current');
    next = generateIdpKeys('refresh-next');
    server = createServer((_req, res) => {
      if (answer === 'broken') {
        res.writeHead(503);
        res.end();
        return;
      }
      const certificates =
        answer === 'current' ? [keys.certificateBase64] : [keys.certificateBase64, next.certificateBase64];
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
      res.end(idpMetadataXml('https://idp.example/refresh', 'https://idp.example/sso', certificates));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
    stack = await AuthStack.start({
      EGRESS_ALLOW_HTTP: 'true',
      EGRESS_ALLOWLIST: '127.0.0.1/32',
      SSO_METADATA_REFRESH_INTERVAL_MS: '200',
      SSO_METADATA_MAX_AGE_SECONDS: '1',
    });
    owner = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.pg.query(`DELETE FROM auth.sso_connections WHERE tenant_id = $1`, [owner?.tenant.id]);
    await stack?.stop();
    server?.close();
  });

  it('picks up a rollover, keeps the settings when the URL fails (saying why), and recovers', async () => {
    const created = await stack.post(
      '/auth/sso/connections',
      { protocol: 'saml', name: 'By URL', idpMetadataUrl: url },
      owner.accessToken,
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const idp = async () =>
      (await stack.get(`/auth/sso/connections/${id}`, owner.accessToken)).body.idp as {
        certificates: string[];
        metadataFetchedAt: string;
        metadataCheckedAt?: string;
        metadataRefreshError?: string;
      };
    const savedAt = (created.body.idp as { metadataFetchedAt: string }).metadataFetchedAt;

    answer = 'rollover';
    await waitFor(async () => (await idp()).certificates.length === 2, { what: 'the rollover certificate' });
    const rolled = await idp();
    expect(Date.parse(rolled.metadataFetchedAt)).toBeGreaterThan(Date.parse(savedAt));
    expect(rolled.metadataRefreshError).toBeUndefined();

    answer = 'broken';
    await waitFor(async () => (await idp()).metadataRefreshError !== undefined, { what: 'the refresh error' });
    const broken = await idp();
    expect(broken.metadataRefreshError).toMatch(/503/);
    expect(broken.certificates).toEqual(rolled.certificates);
    expect(Date.parse(broken.metadataCheckedAt ?? '')).toBeGreaterThan(Date.parse(broken.metadataFetchedAt));

    answer = 'current';
    await waitFor(async () => (await idp()).certificates.length === 1, { what: 'the recovered refresh' });
    expect((await idp()).metadataRefreshError).toBeUndefined();
  });
});
