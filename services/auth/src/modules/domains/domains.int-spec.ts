import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServer, uniqueSuffix } from '@parley/testing';
import { AuthStack, type Session } from '../../testing/auth-stack';
import { tokenFromMail } from '../../testing/smtp-sink';
import { MAX_DOMAINS_PER_TENANT } from './usecases/claim-domain/claim-domain.usecase';

/**
 * Verified domains against a real DNS server (dnsmasq on loopback, `DNS_RESOLVERS`) and a real SMTP
 * sink: claim, prove by TXT record or by a link mailed to an admin mailbox, one tenant per domain.
 */
describe('auth verified domains: DNS TXT and admin-mailbox proofs, one tenant per domain', () => {
  let dns: DnsServer;
  let stack: AuthStack;
  let owner: Session;
  let other: Session;

  const domain = () => `acme-${uniqueSuffix()}.test`;
  const claim = (session: Session, name: string) => stack.post('/auth/domains', { domain: name }, session.accessToken);
  const verify = (session: Session, id: string) => stack.post(`/auth/domains/${id}/verify`, {}, session.accessToken);
  const mailProof = (session: Session, id: string, mailbox = 'admin') =>
    stack.post(`/auth/domains/${id}/verification-mail`, { mailbox }, session.accessToken);

  beforeAll(async () => {
    dns = await DnsServer.start();
    stack = await AuthStack.start({ DNS_RESOLVERS: dns.address, DNS_TIMEOUT_MS: '500' });
    owner = await stack.signUp();
    other = await stack.signUp();
  });

  afterAll(async () => {
    await stack?.stop();
    await dns?.stop();
  });

  it('claims a domain (normalised, idempotent) and answers the TXT record that proves it', async () => {
    const name = domain();
    const first = await claim(owner, `  ${name.toUpperCase()}. `);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      domain: name,
      status: 'pending',
      verifiedBy: null,
      verifiedAt: null,
      createdAt: expect.any(String),
      txtRecord: {
        name: `_parley-challenge.${name}`,
        value: expect.stringMatching(/^parley-domain-verification=[\w-]{32}$/),
      },
      mail: null,
    });
    const again = await claim(owner, name);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.txtRecord).toEqual(first.body.txtRecord);
    const listed = await stack.get('/auth/domains', owner.accessToken);
    expect(listed.body.domains.map((d: { domain: string }) => d.domain)).toContain(name);
  });

  it.each(['10.0.0.1', 'localhost', '*.acme.test', 'https://acme.test', '', 'a'.repeat(300)])(
    'refuses %j as a domain with 400 validation_failed',
    async (bad) => {
      const res = await claim(owner, bad);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    },
  );

  it('verifies by DNS only when the TXT record carries this claim’s value', async () => {
    const name = domain();
    const claimed = (await claim(owner, name)).body;

    const missing = await verify(owner, claimed.id);
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({
      code: 'domain_verification_failed',
      details: { record: claimed.txtRecord, found: [] },
    });

    await dns.setTxt(claimed.txtRecord.name, ['parley-domain-verification=someone-else', 'v=spf1 -all']);
    const wrong = await verify(owner, claimed.id);
    expect(wrong.status).toBe(422);
    expect([...wrong.body.error.details.found].sort()).toEqual([
      'parley-domain-verification=someone-else',
      'v=spf1 -all',
    ]);

    await dns.setTxt(claimed.txtRecord.name, ['v=spf1 -all', claimed.txtRecord.value]);
    const verified = await verify(owner, claimed.id);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: claimed.id, status: 'verified', verifiedBy: 'dns' });
    expect(Date.parse(verified.body.verifiedAt)).not.toBeNaN();
  });

  it('a verified domain belongs to one tenant: another tenant cannot claim or verify it', async () => {
    const name = domain();
    const theirs = (await claim(other, name)).body; // claimed first, proven later
    const mine = (await claim(owner, name)).body;
    await dns.setTxt(mine.txtRecord.name, [mine.txtRecord.value, theirs.txtRecord.value]);
    expect((await verify(owner, mine.id)).status).toBe(200);

    const late = await verify(other, theirs.id);
    expect({ status: late.status, code: late.body.error.code }).toEqual({ status: 409, code: 'domain_taken' });
    expect(JSON.stringify(late.body)).not.toContain(owner.tenant.id);
    const fresh = await claim(other, name);
    expect({ status: fresh.status, code: fresh.body.error.code }).toEqual({ status: 409, code: 'domain_taken' });
  });

  it('when two tenants prove the same domain at once, exactly one wins', async () => {
    const name = domain();
    const a = (await claim(owner, name)).body;
    const b = (await claim(other, name)).body;
    await dns.setTxt(a.txtRecord.name, [a.txtRecord.value, b.txtRecord.value]);
    const answers = await Promise.all([verify(owner, a.id), verify(other, b.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const rows = await stack.pg.query(
      `SELECT tenant_id FROM auth.tenant_domains WHERE domain = $1 AND verified_at IS NOT NULL`,
      [name],
    );
    expect(rows.rowCount).toBe(1);
  });

  it('another tenant cannot see, verify, mail or remove this tenant’s claim (404)', async () => {
    const claimed = (await claim(owner, domain())).body;
    const theirList = await stack.get('/auth/domains', other.accessToken);
    expect(theirList.body.domains.map((d: { id: string }) => d.id)).not.toContain(claimed.id);
    for (const res of [
      await verify(other, claimed.id),
      await mailProof(other, claimed.id),
      await stack.delete(`/auth/domains/${claimed.id}`, other.accessToken),
    ]) {
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
    }
    expect(
      (await stack.get('/auth/domains', owner.accessToken)).body.domains.map((d: { id: string }) => d.id),
    ).toContain(claimed.id);
  });

  it('a member cannot list, claim, verify or remove domains (403); an admin can', async () => {
    const member = await stack.join(owner, 'member');
    const admin = await stack.join(owner, 'admin');
    const claimed = (await claim(owner, domain())).body;
    for (const res of [
      await stack.get('/auth/domains', member.accessToken),
      await claim(member, domain()),
      await verify(member, claimed.id),
      await mailProof(member, claimed.id),
      await stack.delete(`/auth/domains/${claimed.id}`, member.accessToken),
    ]) {
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 403, code: 'forbidden' });
    }
    expect((await claim(admin, domain())).status).toBe(201);
    expect((await stack.delete(`/auth/domains/${claimed.id}`, admin.accessToken)).status).toBe(204);
    expect((await verify(owner, claimed.id)).status).toBe(404);
  });

  it('verifies by a link mailed to an admin mailbox only; the link works once; one mail a minute', async () => {
    const name = domain();
    const claimed = (await claim(owner, name)).body;
    const anyone = await mailProof(owner, claimed.id, 'ann.lee');
    expect({ status: anyone.status, code: anyone.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });

    const sent = await mailProof(owner, claimed.id, 'hostmaster');
    expect(sent.status).toBe(200);
    expect(sent.body.mail).toEqual({ sentTo: `hostmaster@${name}`, expiresAt: expect.any(String) });
    const mail = await stack.mail.waitForMail(`hostmaster@${name}`);
    expect(mail.subject).toBe(`Confirm that ${name} belongs to ${owner.tenant.name} on Parley`);
    expect(mail.text).toMatch(/http:\/\/app\.test\/verify-domain\?token=pdom_[\w-]{43}/);

    const soon = await mailProof(owner, claimed.id, 'admin');
    expect({ status: soon.status, code: soon.body.error.code }).toEqual({ status: 429, code: 'too_many_attempts' });
    expect(Number(soon.retryAfter)).toBeGreaterThan(0);

    const token = tokenFromMail(mail);
    const confirmed = await stack.post('/auth/domains/confirm', { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ domain: name, status: 'verified' });
    const listed = (await stack.get('/auth/domains', owner.accessToken)).body.domains;
    expect(listed.find((d: { id: string }) => d.id === claimed.id)).toMatchObject({
      status: 'verified',
      verifiedBy: 'mail',
    });

    const reused = await stack.post('/auth/domains/confirm', { token });
    expect({ status: reused.status, code: reused.body.error.code }).toEqual({
      status: 422,
      code: 'domain_verification_failed',
    });
    const forged = await stack.post('/auth/domains/confirm', { token: `pdom_${'A'.repeat(43)}` });
    expect(forged.status).toBe(422);
  });

  it('an expired mail link is refused and verifies nothing', async () => {
    const claimed = (await claim(owner, domain())).body;
    expect((await mailProof(owner, claimed.id, 'postmaster')).status).toBe(200);
    const mail = await stack.mail.waitForMail(`postmaster@${claimed.domain}`);
    await stack.pg.query(`UPDATE auth.tenant_domains SET mail_expires_at = now() - interval '1 second' WHERE id = $1`, [
      claimed.id,
    ]);
    const late = await stack.post('/auth/domains/confirm', { token: tokenFromMail(mail) });
    expect(late.status).toBe(422);
    expect(late.body.error.message).toMatch(/expired/);
    const listed = (await stack.get('/auth/domains', owner.accessToken)).body.domains;
    expect(listed.find((d: { id: string }) => d.id === claimed.id).status).toBe('pending');
  });

  it(`holds at most ${MAX_DOMAINS_PER_TENANT} claims per tenant (409 domain_limit_reached)`, async () => {
    const crowded = await stack.signUp();
    for (let i = 0; i < MAX_DOMAINS_PER_TENANT; i += 1) expect((await claim(crowded, domain())).status).toBe(201);
    const over = await claim(crowded, domain());
    expect({ status: over.status, code: over.body.error.code }).toEqual({ status: 409, code: 'domain_limit_reached' });
  });

  it('a DNS server that does not answer is 503 dns_unavailable (retryable), and the claim stays pending', async () => {
    const claimed = (await claim(owner, domain())).body;
    await dns.down();
    try {
      const res = await verify(owner, claimed.id);
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 503, code: 'dns_unavailable' });
      expect(res.retryAfter).not.toBeNull();
    } finally {
      await dns.up();
    }
    const listed = (await stack.get('/auth/domains', owner.accessToken)).body.domains;
    expect(listed.find((d: { id: string }) => d.id === claimed.id).status).toBe('pending');
  });
});
