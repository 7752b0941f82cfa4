import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressPolicy } from '@parley/config';
import type { AuditActionRecordedV1, MessageOf } from '@parley/contracts';
import { ChatTestApp, expectProblem, type TestPrincipal } from '../skills/testing/chat-test-app';
import { CredentialEncryption } from './credential-encryption';
import { ProviderTargetsResolver } from './provider-targets.resolver';

interface CredentialRow {
  id: string;
  kind: string;
  base_url: string | null;
  model: string;
  encrypted_key: Buffer | null;
  key_hint: string | null;
  priority: number;
  updated_by: string;
}

/** Every way a key could sit in a row: as text, and inside any byte column read as utf8, hex or base64. */
function rowText(row: object): string {
  return JSON.stringify(row, (_, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer') {
      const bytes = Buffer.from((value as { data: number[] }).data);
      return [bytes.toString('utf8'), bytes.toString('hex'), bytes.toString('base64')].join(' ');
    }
    return value;
  });
}

describe('bring your own key: tenant provider keys, sealed, and the provider targets', () => {
  const kek = randomBytes(32);
  const globalAnthropicKey = `sk-global-anthropic-${randomBytes(12).toString('hex')}`;
  let t: ChatTestApp;
  let targets: ProviderTargetsResolver;
  let acme: string;
  let globex: string;
  let owner: TestPrincipal;
  let admin: TestPrincipal;
  const keys: string[] = [];

  /** A key as providers issue them; remembered so the log check can look for every one. */
  const newKey = (prefix: string) => {
    const key = `${prefix}-${randomBytes(18).toString('base64url')}`;
    keys.push(key);
    return key;
  };
  const put = (who: TestPrincipal, kind: string, body: unknown) => t.call(who, 'PUT', `/chat/providers/${kind}`, body);
  const credentialRows = (tenantId: string) =>
    t.rows<CredentialRow>(tenantId, `SELECT * FROM provider_credentials ORDER BY kind`);

  beforeAll(async () => {
    t = await ChatTestApp.start({
      CHAT_KEY_ENCRYPTION_KEY: kek.toString('base64'),
      CHAT_PROVIDER_CHAIN: 'anthropic,openai',
      ANTHROPIC_API_KEY: globalAnthropicKey,
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
      OPENAI_MODEL: 'llama3.2',
    });
    targets = t.app.get(ProviderTargetsResolver);
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    owner = t.principal(acme, 'owner');
    admin = t.principal(acme, 'admin');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('stores the key sealed (AES-256-GCM bound to the row id) and answers only its hint', async () => {
    const key = newKey('sk-ant-api03');
    const res = await put(owner, 'anthropic', { apiKey: key, model: 'claude-sonnet-4-5', priority: 5 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'anthropic',
      baseUrl: null,
      model: 'claude-sonnet-4-5',
      keyHint: `…${key.slice(-4)}`,
      priority: 5,
      updatedAt: expect.any(String),
    });
    const listed = await t.call(admin, 'GET', '/chat/providers');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [res.body] });
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(0, -4));

    const [row] = await credentialRows(acme);
    expect(row).toMatchObject({ kind: 'anthropic', key_hint: `…${key.slice(-4)}`, updated_by: owner.id });
    expect(rowText(row as CredentialRow)).not.toContain(key);
    expect(rowText(row as CredentialRow)).not.toContain(key.slice(0, 16));
    const envelope = (row as CredentialRow).encrypted_key as Buffer;
    expect(envelope[0]).toBe(1);
    const sealer = new CredentialEncryption(kek);
    expect(sealer.decrypt(envelope, (row as CredentialRow).id)).toBe(key);
    expect(() => sealer.decrypt(envelope, globex)).toThrow(); // bound to its row id
  });

  it('decrypts into targets: the tenant by priority, then the global chain; a model override changes the first only', async () => {
    const openaiKey = newKey('sk-proj');
    expect((await put(admin, 'openai', { apiKey: openaiKey, model: 'gpt-4.1', priority: 1 })).status).toBe(200);
    const anthropicKey = newKey('sk-ant-api03');
    await put(owner, 'anthropic', { apiKey: anthropicKey, model: 'claude-opus-4-1', priority: 7 });

    expect(await targets.targetsFor(acme, null)).toEqual([
      {
        kind: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: openaiKey,
        model: 'gpt-4.1',
        label: 'tenant:openai',
        // A tenant's address is connected to only as the egress policy allows; the operator's are not.
        egress: expect.any(EgressPolicy),
      },
      {
        kind: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        apiKey: anthropicKey,
        model: 'claude-opus-4-1',
        label: 'tenant:anthropic',
        egress: expect.any(EgressPolicy),
      },
      {
        kind: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        apiKey: globalAnthropicKey,
        model: 'claude-sonnet-4-6',
        label: 'global:anthropic',
      },
      { kind: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2', label: 'global:openai' },
    ]);
    const overridden = await targets.targetsFor(acme, 'gpt-4.1-mini');
    expect(overridden.map((target) => target.model)).toEqual([
      'gpt-4.1-mini',
      'claude-opus-4-1',
      'claude-sonnet-4-6',
      'llama3.2',
    ]);
    // Callers get copies: changing one does not change the next answer.
    overridden[0]!.model = 'tampered';
    expect((await targets.targetsFor(acme, null))[0]?.model).toBe('gpt-4.1');

    // Reordering applies at once on this replica (the cache is dropped on every change).
    await put(owner, 'anthropic', { model: 'claude-opus-4-1', priority: 0 });
    expect((await targets.targetsFor(acme, null)).map((target) => target.label)).toEqual([
      'tenant:anthropic',
      'tenant:openai',
      'global:anthropic',
      'global:openai',
    ]);
  });

  it('keeps the stored key when PUT has no apiKey, and replaces it when it has one', async () => {
    const before = (await credentialRows(acme)).find((row) => row.kind === 'anthropic') as CredentialRow;
    const kept = await put(owner, 'anthropic', { model: 'claude-haiku-4-5', priority: 0 });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ model: 'claude-haiku-4-5', keyHint: before.key_hint });
    const after = (await credentialRows(acme)).find((row) => row.kind === 'anthropic') as CredentialRow;
    expect(after.id).toBe(before.id);
    expect(after.encrypted_key?.equals(before.encrypted_key as Buffer)).toBe(true);
    const first = (await targets.targetsFor(acme, null))[0];
    expect(first).toMatchObject({ label: 'tenant:anthropic', model: 'claude-haiku-4-5' });
    const keptKey = first?.apiKey as string;
    expect(keys).toContain(keptKey);

    const replacement = newKey('sk-ant-api03');
    const replaced = await put(owner, 'anthropic', { apiKey: `  ${replacement}\n`, model: 'claude-haiku-4-5' });
    expect(replaced.body.keyHint).toBe(`…${replacement.slice(-4)}`);
    expect((await targets.targetsFor(acme, null))[0]?.apiKey).toBe(replacement);
  });

  it('never sends a stored key to a new address: changing baseUrl needs the key again', async () => {
    const refused = await put(owner, 'openai', { baseUrl: 'https://evil.example/v1', model: 'gpt-4.1' });
    expectProblem(refused, 400, 'validation_failed');
    expect((await targets.targetsFor(acme, null)).find((x) => x.label === 'tenant:openai')?.baseUrl).toBe(
      'https://api.openai.com/v1',
    );
    const key = newKey('sk-or-v1');
    const moved = await put(owner, 'openai', { apiKey: key, baseUrl: 'https://openrouter.ai/api/v1/', model: 'x/y' });
    expect(moved.body).toMatchObject({ baseUrl: 'https://openrouter.ai/api/v1', model: 'x/y' });
    // The same address again without the key is fine.
    expect((await put(owner, 'openai', { baseUrl: 'https://openrouter.ai/api/v1', model: 'x/z' })).status).toBe(200);
    expect((await targets.targetsFor(acme, null)).find((x) => x.label === 'tenant:openai')).toMatchObject({
      baseUrl: 'https://openrouter.ai/api/v1',
      apiKey: key,
      model: 'x/z',
    });
  });

  it('accepts a keyless server by base URL, and refuses a new provider with neither key nor URL', async () => {
    const tenant = await t.createTenant('Keyless');
    const boss = t.principal(tenant, 'owner');
    expectProblem(await put(boss, 'anthropic', { model: 'claude-sonnet-4-5' }), 400, 'validation_failed');
    const local = await put(boss, 'openai', { baseUrl: 'http://ollama.internal:11434/v1', model: 'qwen3' });
    expect(local.body).toMatchObject({ keyHint: null, baseUrl: 'http://ollama.internal:11434/v1' });
    const [first] = await targets.targetsFor(tenant, null);
    expect(first).toEqual({
      kind: 'openai',
      baseUrl: 'http://ollama.internal:11434/v1',
      model: 'qwen3',
      label: 'tenant:openai',
      egress: expect.any(EgressPolicy),
    });
  });

  it('deletes a provider (204), at once for the targets; an absent one is 404', async () => {
    const tenant = await t.createTenant('Deleter');
    const boss = t.principal(tenant, 'owner');
    await put(boss, 'openai', { apiKey: newKey('sk-proj'), model: 'gpt-4.1' });
    expect((await targets.targetsFor(tenant, null))[0]?.label).toBe('tenant:openai');
    expect((await t.call(boss, 'DELETE', '/chat/providers/openai')).status).toBe(204);
    expect((await targets.targetsFor(tenant, null)).map((x) => x.label)).toEqual(['global:anthropic', 'global:openai']);
    expect(await credentialRows(tenant)).toEqual([]);
    expectProblem(await t.call(boss, 'DELETE', '/chat/providers/openai'), 404, 'not_found');
    expectProblem(await t.call(boss, 'DELETE', '/chat/providers/gemini'), 400, 'validation_failed');
  });

  it('records provider-key.set and provider-key.removed for the audit log, once each, never the key', async () => {
    const tenant = await t.createTenant('Audited');
    const boss = t.principal(tenant, 'admin');
    const key = newKey('sk-proj');
    expect((await put(boss, 'openai', { apiKey: key, model: 'gpt-4.1' })).status).toBe(200);
    expect((await put(boss, 'openai', { model: 'gpt-4.1-mini' })).status).toBe(200);
    expect((await t.call(boss, 'DELETE', '/chat/providers/openai')).status).toBe(204);
    expectProblem(await t.call(boss, 'DELETE', '/chat/providers/openai'), 404, 'not_found'); // nothing recorded
    expectProblem(await put(t.principal(tenant, 'member'), 'openai', { apiKey: key, model: 'x' }), 403, 'forbidden');
    const rows = await t.pg.query<{ value: MessageOf<typeof AuditActionRecordedV1> }>(
      `SELECT value FROM control.outbox WHERE topic = 'audit.action-recorded.v1' AND key = $1 ORDER BY created_at, id`,
      [tenant],
    );
    const facts = rows.rows.map((r) => r.value);
    expect(facts.map((f) => [f.action, f.actor, f.target.type, f.details.provider])).toEqual([
      ['provider-key.set', { kind: 'user', id: boss.id }, 'provider-key', 'openai'],
      ['provider-key.set', { kind: 'user', id: boss.id }, 'provider-key', 'openai'],
      ['provider-key.removed', { kind: 'user', id: boss.id }, 'provider-key', 'openai'],
    ]);
    expect(facts.map((f) => [f.details.keyChanged, f.details.model])).toEqual([
      [true, 'gpt-4.1'],
      [false, 'gpt-4.1-mini'],
      [undefined, undefined],
    ]);
    expect(new Set(facts.map((f) => f.target.id)).size).toBe(1);
    expect(JSON.stringify(facts)).not.toContain(key.slice(-8));
    const other = await t.pg.query(
      `SELECT 1 FROM control.outbox WHERE topic = 'audit.action-recorded.v1' AND key = $1`,
      [globex],
    );
    expect(other.rows).toEqual([]); // another tenant's log gets none of it
  });

  it('keeps providers to owners and admins: members, billing users and API keys get 403 and change nothing', async () => {
    const before = rowText(await credentialRows(acme));
    for (const role of ['member', 'billing', 'api-key'] as const) {
      const who = t.principal(acme, role);
      expectProblem(await t.call(who, 'GET', '/chat/providers'), 403, 'forbidden');
      expectProblem(await put(who, 'openai', { apiKey: newKey('sk-proj'), model: 'gpt-4.1' }), 403, 'forbidden');
      expectProblem(await put(who, 'anthropic', { model: 'claude-haiku-4-5' }), 403, 'forbidden');
      expectProblem(await t.call(who, 'DELETE', '/chat/providers/anthropic'), 403, 'forbidden');
    }
    expect(rowText(await credentialRows(acme))).toBe(before);
    expectProblem(await t.call(null, 'GET', '/chat/providers'), 401, 'invalid_principal');
  });

  it.each([
    ['an unknown kind', 'gemini', { apiKey: 'sk-x-1234567890', model: 'm' }],
    ['an unknown field', 'openai', { apiKey: 'sk-x-1234567890', model: 'm', organization: 'o' }],
    ['a missing model', 'openai', { apiKey: 'sk-x-1234567890' }],
    ['an empty key', 'openai', { apiKey: '', model: 'm' }],
    ['a key with a space inside', 'openai', { apiKey: 'sk-x 1234567890', model: 'm' }],
    ['a key with a line break inside', 'openai', { apiKey: 'sk-x\r\n1234567890', model: 'm' }],
    ['a key that is too long', 'openai', { apiKey: 'k'.repeat(4097), model: 'm' }],
    ['a null key', 'openai', { apiKey: null, model: 'm' }],
    ['an ftp base URL', 'openai', { baseUrl: 'ftp://files.example', model: 'm' }],
    ['a base URL with credentials', 'openai', { baseUrl: 'https://user:pw@llm.example/v1', model: 'm' }],
    ['a base URL with a query', 'openai', { baseUrl: 'https://llm.example/v1?key=1', model: 'm' }],
    ['priority 101', 'openai', { baseUrl: 'https://llm.example/v1', model: 'm', priority: 101 }],
    ['priority -1', 'openai', { baseUrl: 'https://llm.example/v1', model: 'm', priority: -1 }],
    ['a fractional priority', 'openai', { baseUrl: 'https://llm.example/v1', model: 'm', priority: 1.5 }],
    ['a blank model', 'openai', { baseUrl: 'https://llm.example/v1', model: '   ' }],
    ['an array body', 'openai', [{ apiKey: 'sk-x-1234567890', model: 'm' }]],
  ])('answers %s with 400 validation_failed and stores nothing', async (_, kind, body) => {
    const tenant = await t.createTenant('Validation');
    const res = await put(t.principal(tenant, 'owner'), kind, body);
    expectProblem(res, 400, 'validation_failed');
    expect(JSON.stringify(res.body)).not.toContain('1234567890');
    expect(await credentialRows(tenant)).toEqual([]);
  });

  it("another tenant does not get the tenant's key, nor see or remove its providers", async () => {
    const acmeTargets = await targets.targetsFor(acme, null);
    expect(acmeTargets.some((x) => x.label.startsWith('tenant:'))).toBe(true);
    const stranger = t.principal(globex, 'owner');
    expect((await t.call(stranger, 'GET', '/chat/providers')).body).toEqual({ items: [] });
    expect((await targets.targetsFor(globex, null)).map((x) => x.label)).toEqual(['global:anthropic', 'global:openai']);
    expectProblem(await t.call(stranger, 'DELETE', '/chat/providers/anthropic'), 404, 'not_found');
    // The same user id with Globex's tenant is Globex's principal.
    expect((await t.call({ ...owner, tenantId: globex }, 'GET', '/chat/providers')).body).toEqual({ items: [] });
    expect((await targets.targetsFor(acme, null)).map((x) => x.apiKey)).toEqual(acmeTargets.map((x) => x.apiKey));
  });

  it('skips a provider whose key does not decrypt (moved onto another row) and serves the others', async () => {
    const tenant = await t.createTenant('Tampered');
    const boss = t.principal(tenant, 'owner');
    await put(boss, 'openai', { apiKey: newKey('sk-proj'), model: 'gpt-4.1', priority: 0 });
    await put(boss, 'anthropic', { apiKey: newKey('sk-ant-api03'), model: 'claude-sonnet-4-5', priority: 1 });
    await t.rows(
      tenant,
      `UPDATE provider_credentials SET encrypted_key = (SELECT encrypted_key FROM provider_credentials WHERE kind = 'openai')
        WHERE kind = 'anthropic'`,
    );
    const otherApp = await t.another({ CHAT_KEY_ENCRYPTION_KEY: kek.toString('base64') }); // a fresh cache
    const resolved = await otherApp.app.get(ProviderTargetsResolver).targetsFor(tenant, null);
    expect(resolved.map((x) => x.label)).toEqual(['tenant:openai']);
    expect(t.logs.text()).toContain('does not decrypt');
  });

  it('answers 503 provider_not_configured, naming what to set, when neither the tenant nor the platform has a provider', async () => {
    const bare = await t.another({ CHAT_KEY_ENCRYPTION_KEY: kek.toString('base64') });
    const resolver = bare.app.get(ProviderTargetsResolver);
    const error = await resolver.targetsFor(globex, null).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'provider_not_configured', httpStatus: 503 });
    const message = (error as Error).message;
    for (const hint of ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', '/api/v1/chat/providers']) {
      expect(message).toContain(hint);
    }
    // A tenant with its own key needs no global provider.
    expect((await resolver.targetsFor(acme, null)).map((x) => x.label)).toEqual(['tenant:anthropic', 'tenant:openai']);
  });

  it('never writes a key to the logs', () => {
    const logs = t.logs.text();
    expect(logs).toContain('Tenant provider set'); // the capture works
    expect(keys.length).toBeGreaterThan(5);
    for (const key of [...keys, globalAnthropicKey]) expect(logs).not.toContain(key.slice(-16));
  });
});
