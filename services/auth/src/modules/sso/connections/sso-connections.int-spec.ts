import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStack, type Session } from '../../../testing/auth-stack';
import { generateIdpKeys, idpMetadataXml, type TestIdpKeys } from '../../../testing/test-idp-keys';

describe('SSO connections: each tenant’s admins configure their own SAML IdP', () => {
  let stack: AuthStack;
  let owner: Session;
  let admin: Session;
  let member: Session;
  let other: Session;
  let keys: TestIdpKeys;
  let rollover: TestIdpKeys;
  /** An IdP's metadata endpoint on loopback (allowed by this stack's EGRESS_ALLOWLIST only). */
  let metadataServer: Server;
  let metadataBase: string;
  const metadataRequests: string[] = [];

  const byHand = (overrides: Record<string, unknown> = {}) => ({
    protocol: 'saml',
    name: 'Okta',
    idp: {
      entityId: 'http://idp.example.com/entity',
      ssoUrl: 'https://idp.example.com/sso/saml',
      certificates: [keys.certificatePem],
    },
    attributeMapping: { email: 'email', groups: 'groups' },
    groupRoles: [{ group: 'admins', role: 'admin' }],
    ...overrides,
  });

  beforeAll(async () => {
    // Cloud mode refuses http and private addresses; this operator allows http to 127.0.0.1 only.
    stack = await AuthStack.start({
      HTTP_BODY_LIMIT_BYTES: '1048576',
      EGRESS_ALLOW_HTTP: 'true',
      EGRESS_ALLOWLIST: '127.0.0.1/32',
    });
    owner = await stack.signUp();
    await stack.pg.query(`UPDATE control.tenants SET plan_id = 'pro' WHERE id = $1`, [owner.tenant.id]);
    admin = await stack.join(owner, 'admin');
    member = await stack.join(owner, 'member');
    other = await stack.signUp();
    keys = generateIdpKeys('idp-current');
    rollover = generateIdpKeys('idp-next');
    metadataServer = createServer((req, res) => {
      metadataRequests.push(req.url ?? '');
      if (req.url === '/metadata') {
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' });
        res.end(idpMetadataXml('https://okta.example/exk1', 'https://okta.example/sso/saml', [keys.certificateBase64]));
      } else if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end('<x>'.padEnd(300_000, ' ') + '</x>');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => metadataServer.listen(0, '127.0.0.1', resolve));
    metadataBase = `http://127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await stack?.pg.query(`DELETE FROM auth.sso_connections WHERE tenant_id = ANY($1)`, [
      [owner?.tenant.id, other?.tenant.id].filter(Boolean),
    ]);
    await stack?.stop();
    metadataServer?.close();
  });

  it('creates a connection by hand, shows our SP values and certificate expiries, replaces and deletes it', async () => {
    const created = await stack.post('/auth/sso/connections', byHand(), owner.accessToken);
    expect(created.status).toBe(201);
    const slug = owner.tenant.slug;
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      protocol: 'saml',
      name: 'Okta',
      enabled: false,
      defaultRole: 'member',
      groupRoles: [{ group: 'admins', role: 'admin' }],
      attributeMapping: { email: 'email', groups: 'groups' },
      serviceProvider: {
        entityId: `http://app.test/api/v1/sso/saml/${slug}/metadata`,
        acsUrl: `http://app.test/api/v1/sso/saml/${slug}/acs`,
        metadataUrl: `http://app.test/api/v1/sso/saml/${slug}/metadata`,
        loginUrl: `http://app.test/api/v1/sso/saml/${slug}/login`,
      },
    });
    expect(created.body.idp.certificates[0]).toContain('-----BEGIN CERTIFICATE-----');
    const expiry = new Date(created.body.idp.certificateExpiries[0]).getTime();
    expect(expiry).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const id = created.body.id as string;

    const again = await stack.post('/auth/sso/connections', byHand(), admin.accessToken);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('sso_connection_exists');

    // Rollover: both certificates at once (the new one as bare base64 DER, as metadata has it).
    const replaced = await stack.request(
      'PUT',
      `/auth/sso/connections/${id}`,
      JSON.stringify(
        byHand({
          enabled: true,
          defaultRole: 'billing',
          idp: {
            entityId: 'http://idp.example.com/entity',
            ssoUrl: 'https://idp.example.com/sso/saml',
            certificates: [keys.certificatePem, rollover.certificateBase64],
          },
        }),
      ),
      admin.accessToken,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, enabled: true, defaultRole: 'billing' });
    expect(replaced.body.idp.certificates).toHaveLength(2);

    const got = await stack.get(`/auth/sso/connections/${id}`, owner.accessToken);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(replaced.body);
    const list = await stack.get('/auth/sso/connections', admin.accessToken);
    expect(list.body.connections.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await stack.get(`/auth/sso/connections/${id}/traces`, owner.accessToken)).body).toEqual({ traces: [] });

    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
    const gone = await stack.get(`/auth/sso/connections/${id}`, owner.accessToken);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('reads the IdP from uploaded metadata XML (entity id, redirect SSO URL, every signing certificate)', async () => {
    const xml = idpMetadataXml('https://kc.example.com/realms/acme', 'https://kc.example.com/realms/acme/saml', [
      keys.certificateBase64,
      rollover.certificateBase64,
    ]);
    const created = await stack.post(
      '/auth/sso/connections',
      { protocol: 'saml', name: 'Keycloak', idpMetadataXml: xml },
      owner.accessToken,
    );
    expect(created.status).toBe(201);
    expect(created.body.idp).toMatchObject({
      entityId: 'https://kc.example.com/realms/acme',
      ssoUrl: 'https://kc.example.com/realms/acme/saml',
    });
    expect(created.body.idp.certificates).toHaveLength(2);
    expect((await stack.delete(`/auth/sso/connections/${created.body.id}`, owner.accessToken)).status).toBe(204);
  });

  it('fetches metadata from a URL through the egress policy, and refuses addresses the policy denies', async () => {
    const created = await stack.post(
      '/auth/sso/connections',
      { protocol: 'saml', name: 'Okta', idpMetadataUrl: `${metadataBase}/metadata` },
      owner.accessToken,
    );
    expect(created.status).toBe(201);
    expect(created.body.idp).toMatchObject({
      entityId: 'https://okta.example/exk1',
      ssoUrl: 'https://okta.example/sso/saml',
      metadataUrl: `${metadataBase}/metadata`,
      metadataFetchedAt: expect.any(String),
    });
    expect(created.body.idp.certificates).toHaveLength(1);
    expect((await stack.delete(`/auth/sso/connections/${created.body.id}`, owner.accessToken)).status).toBe(204);

    const post = (url: string) =>
      stack.post('/auth/sso/connections', { protocol: 'saml', name: 'x', idpMetadataUrl: url }, owner.accessToken);
    for (const url of ['http://10.1.2.3/metadata', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:1/x']) {
      const denied = await post(url);
      expect(denied.status, url).toBe(400);
      expect(denied.body.error.code, url).toBe('egress_denied');
    }
    for (const path of ['/missing', '/huge']) {
      const failed = await post(`${metadataBase}${path}`);
      expect(failed.status, path).toBe(400);
      expect(failed.body.error.code, path).toBe('sso_metadata_invalid');
    }
    // A member is refused before anything is fetched.
    const before = metadataRequests.length;
    const byMember = await stack.post(
      '/auth/sso/connections',
      { protocol: 'saml', name: 'x', idpMetadataUrl: `${metadataBase}/metadata` },
      member.accessToken,
    );
    expect(byMember.status).toBe(403);
    expect(metadataRequests.length).toBe(before);
    expect((await stack.get('/auth/sso/connections', owner.accessToken)).body.connections).toEqual([]);
  });

  it('refuses bad input with a code: DTD in metadata, no IdP descriptor, a bad certificate, both sources', async () => {
    const post = (body: unknown) => stack.post('/auth/sso/connections', body, owner.accessToken);
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>';
    const dtd = await post({ protocol: 'saml', name: 'x', idpMetadataXml: xxe });
    expect(dtd.status).toBe(400);
    expect(dtd.body.error.code).toBe('sso_metadata_invalid');
    const empty = await post({
      protocol: 'saml',
      name: 'x',
      idpMetadataXml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('sso_metadata_invalid');
    const badCert = await post(
      byHand({ idp: { entityId: 'e', ssoUrl: 'https://idp/x', certificates: ['bm90IGEgY2VydA=='] } }),
    );
    expect(badCert.status).toBe(400);
    expect(badCert.body.error).toMatchObject({ code: 'validation_failed' });
    expect(badCert.body.error.details.issues[0]).toMatch(/^idp\.certificates\.0:/);
    const both = await post(byHand({ idpMetadataXml: '<x/>' }));
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('validation_failed');
    const ownerRole = await post(byHand({ defaultRole: 'owner' }));
    expect(ownerRole.status).toBe(400);
    const tooMany = await post(
      byHand({ idp: { entityId: 'e', ssoUrl: 'https://idp/x', certificates: Array(6).fill(keys.certificatePem) } }),
    );
    expect(tooMany.status).toBe(400);
    expect((await stack.get('/auth/sso/connections', owner.accessToken)).body.connections).toEqual([]);
  });

  it('a member cannot list, read, create, replace or delete connections, nor read traces', async () => {
    const created = await stack.post('/auth/sso/connections', byHand(), owner.accessToken);
    const id = created.body.id as string;
    const attempts = [
      stack.get('/auth/sso/connections', member.accessToken),
      stack.get(`/auth/sso/connections/${id}`, member.accessToken),
      stack.post('/auth/sso/connections', byHand({ name: 'mine' }), member.accessToken),
      stack.request(
        'PUT',
        `/auth/sso/connections/${id}`,
        JSON.stringify(byHand({ enabled: true })),
        member.accessToken,
      ),
      stack.delete(`/auth/sso/connections/${id}`, member.accessToken),
      stack.get(`/auth/sso/connections/${id}/traces`, member.accessToken),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const still = await stack.get(`/auth/sso/connections/${id}`, owner.accessToken);
    expect(still.body).toMatchObject({ enabled: false, name: 'Okta' });
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });

  it('another tenant cannot read, replace, delete or trace a connection, and does not see it listed', async () => {
    const created = await stack.post('/auth/sso/connections', byHand(), owner.accessToken);
    const id = created.body.id as string;
    const attempts = [
      stack.get(`/auth/sso/connections/${id}`, other.accessToken),
      stack.request('PUT', `/auth/sso/connections/${id}`, JSON.stringify(byHand({ enabled: true })), other.accessToken),
      stack.delete(`/auth/sso/connections/${id}`, other.accessToken),
      stack.get(`/auth/sso/connections/${id}/traces`, other.accessToken),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await stack.get('/auth/sso/connections', other.accessToken)).body.connections).toEqual([]);
    // The other tenant has a connection of its own; ours is untouched.
    expect((await stack.post('/auth/sso/connections', byHand(), other.accessToken)).status).toBe(201);
    const ours = await stack.get(`/auth/sso/connections/${id}`, owner.accessToken);
    expect(ours.body).toMatchObject({ id, enabled: false });
    expect((await stack.delete(`/auth/sso/connections/${id}`, owner.accessToken)).status).toBe(204);
  });

  it('exports each IdP certificate’s expiry as a metric, per tenant and connection', async () => {
    const created = await stack.post(
      '/auth/sso/connections',
      byHand({
        idp: {
          entityId: 'e',
          ssoUrl: 'https://idp.example.com/sso',
          certificates: [keys.certificatePem, rollover.certificatePem],
        },
      }),
      owner.accessToken,
    );
    expect(created.status).toBe(201);
    const text = await (await fetch(`${stack.base}/metrics`)).text();
    const [first, second] = created.body.idp.certificateExpiries as string[];
    for (const [index, expiry] of [first, second].entries()) {
      const series = text
        .split('\n')
        .find(
          (line) =>
            line.startsWith('sso_idp_certificate_expiry_timestamp_seconds{') &&
            line.includes(`connection_id="${created.body.id}"`) &&
            line.includes(`certificate="${index}"`),
        );
      expect(series).toContain(`tenant_id="${owner.tenant.id}"`);
      expect(Number(series?.split(' ').pop())).toBe(Math.floor(Date.parse(expiry ?? '') / 1000));
    }
    expect((await stack.delete(`/auth/sso/connections/${created.body.id}`, owner.accessToken)).status).toBe(204);
  });

  it('needs an access token', async () => {
    const res = await stack.get('/auth/sso/connections');
    expect(res.status).toBe(401);
  });
});
