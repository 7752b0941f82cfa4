import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTestApp, expectProblem, type TestPrincipal } from './testing/chat-test-app';

const BUILTIN_IDS = ['builtin:doc', 'builtin:review-code', 'builtin:palette', 'builtin:breakdown'];

describe('chat skills: built-in, tenant and private skills over the internal API', () => {
  let t: ChatTestApp;
  let acme: string;
  let globex: string;
  let owner: TestPrincipal;
  let admin: TestPrincipal;
  let alice: TestPrincipal;
  let bob: TestPrincipal;
  let bot: TestPrincipal;

  const skill = (command: string, extra: Record<string, unknown> = {}) => ({
    name: `Skill ${command}`,
    command,
    systemPrompt: `You help with ${command}. Input: {{input}}`,
    visibility: 'private',
    ...extra,
  });
  const create = (who: TestPrincipal, body: unknown) => t.call(who, 'POST', '/skills', body);
  const list = async (who: TestPrincipal): Promise<{ id: string; command: string; visibility: string }[]> => {
    const res = await t.call(who, 'GET', '/skills');
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    t = await ChatTestApp.start();
    acme = await t.createTenant('Acme');
    globex = await t.createTenant('Globex');
    owner = t.principal(acme, 'owner');
    admin = t.principal(acme, 'admin');
    alice = t.principal(acme, 'member');
    bob = t.principal(acme, 'member');
    bot = t.principal(acme, 'api-key');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('lists the four built-in skills to anyone, read-only, and never lets a skill take their commands', async () => {
    const items = await list(alice);
    expect(items.map((s) => s.id)).toEqual(BUILTIN_IDS);
    expect(items.map((s) => s.command)).toEqual(['/doc', '/review-code', '/palette', '/breakdown']);
    const doc = await t.call(alice, 'GET', '/skills/builtin:doc');
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ id: 'builtin:doc', visibility: 'builtin', editable: false, model: null });
    expect(doc.body.systemPrompt).toMatch(/technical/i);

    for (const who of [owner, alice]) {
      expectProblem(await t.call(who, 'PATCH', '/skills/builtin:doc', { name: 'Mine' }), 403, 'forbidden');
      expectProblem(await t.call(who, 'DELETE', '/skills/builtin:palette'), 403, 'forbidden');
    }
    expectProblem(await t.call(alice, 'GET', '/skills/builtin:nope'), 404, 'not_found');
    for (const command of ['/doc', '/review-code', '/palette', '/breakdown']) {
      const taken = await create(owner, skill(command, { visibility: 'tenant' }));
      expectProblem(taken, 409, 'skill_command_taken');
      expect(taken.body.error.details).toEqual({ command });
    }
    const mine = await create(alice, skill('/mine-doc'));
    expectProblem(
      await t.call(alice, 'PATCH', `/skills/${mine.body.id}`, { command: '/doc' }),
      409,
      'skill_command_taken',
    );
    expect((await list(owner)).map((s) => s.id)).toEqual(BUILTIN_IDS);
  });

  it('creates, reads, changes and deletes a private skill', async () => {
    const created = await create(
      alice,
      skill('/standup', { description: '  Daily notes  ', model: 'claude-haiku-4-5', name: '  Standup  ' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Standup',
      command: '/standup',
      description: 'Daily notes',
      systemPrompt: 'You help with /standup. Input: {{input}}',
      model: 'claude-haiku-4-5',
      visibility: 'private',
      editable: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await t.call(alice, 'GET', `/skills/${id}`)).body).toEqual(created.body);
    expect((await list(alice)).map((s) => s.command)).toContain('/standup');

    const changed = await t.call(alice, 'PATCH', `/skills/${id}`, {
      command: '/daily',
      description: null,
      model: null,
      systemPrompt: 'Summarise {{ input }} for {{tenant.name}} on {{date}}',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      command: '/daily',
      name: 'Standup',
      description: null,
      model: null,
      systemPrompt: 'Summarise {{ input }} for {{tenant.name}} on {{date}}',
    });
    // The old command is free again.
    expect((await create(alice, skill('/standup'))).status).toBe(201);

    expect((await t.call(alice, 'DELETE', `/skills/${id}`)).status).toBe(204);
    expectProblem(await t.call(alice, 'GET', `/skills/${id}`), 404, 'not_found');
    expectProblem(await t.call(alice, 'DELETE', `/skills/${id}`), 404, 'not_found');
    expect((await list(alice)).map((s) => s.command)).not.toContain('/daily');
  });

  it('keeps a private skill to its creator: another user cannot see, change or delete it', async () => {
    const { body } = await create(alice, skill('/secret-plan'));
    expect((await list(bob)).map((s) => s.id)).not.toContain(body.id);
    expect((await list(admin)).map((s) => s.id)).not.toContain(body.id);
    for (const who of [bob, owner, bot]) {
      expectProblem(await t.call(who, 'GET', `/skills/${body.id}`), 404, 'not_found');
      expectProblem(await t.call(who, 'PATCH', `/skills/${body.id}`, { name: 'Taken over' }), 404, 'not_found');
      expectProblem(await t.call(who, 'DELETE', `/skills/${body.id}`), 404, 'not_found');
    }
    expect((await t.call(alice, 'GET', `/skills/${body.id}`)).body).toMatchObject({ name: 'Skill /secret-plan' });
    // Bob may use the same command for a private skill of his own.
    expect((await create(bob, skill('/secret-plan'))).status).toBe(201);
  });

  it('lets only owners and admins create and change tenant skills; everyone sees and uses them', async () => {
    const refused = await create(alice, skill('/handbook', { visibility: 'tenant' }));
    expectProblem(refused, 403, 'forbidden');
    expectProblem(await create(bot, skill('/handbook', { visibility: 'tenant' })), 403, 'forbidden');
    expect((await list(owner)).map((s) => s.command)).not.toContain('/handbook');

    const created = await create(admin, skill('/handbook', { visibility: 'tenant' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const who of [alice, bob, bot]) {
      const seen = await t.call(who, 'GET', `/skills/${id}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ visibility: 'tenant', editable: false });
      expectProblem(await t.call(who, 'PATCH', `/skills/${id}`, { name: 'Mine now' }), 403, 'forbidden');
      expectProblem(await t.call(who, 'DELETE', `/skills/${id}`), 403, 'forbidden');
    }
    // Another admin (here the owner) may change it.
    const renamed = await t.call(owner, 'PATCH', `/skills/${id}`, { name: 'Company handbook' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Company handbook', editable: true });

    // A member cannot publish a private skill to the tenant.
    const draft = await create(alice, skill('/draft-publish'));
    expectProblem(await t.call(alice, 'PATCH', `/skills/${draft.body.id}`, { visibility: 'tenant' }), 403, 'forbidden');
    expect((await list(bob)).map((s) => s.id)).not.toContain(draft.body.id);

    // An admin can, and can take one back: it becomes the admin's private skill.
    const adminDraft = await create(admin, skill('/admin-draft'));
    const published = await t.call(admin, 'PATCH', `/skills/${adminDraft.body.id}`, { visibility: 'tenant' });
    expect(published.body.visibility).toBe('tenant');
    expect((await list(bob)).map((s) => s.id)).toContain(adminDraft.body.id);
    const back = await t.call(owner, 'PATCH', `/skills/${adminDraft.body.id}`, { visibility: 'private' });
    expect(back.body).toMatchObject({ visibility: 'private', editable: true });
    expect((await list(admin)).map((s) => s.id)).not.toContain(adminDraft.body.id);
    expect((await list(owner)).map((s) => s.id)).toContain(adminDraft.body.id);

    expect((await t.call(owner, 'DELETE', `/skills/${id}`)).status).toBe(204);
    expect((await list(alice)).map((s) => s.id)).not.toContain(id);

    // Each change of a tenant skill is one settings change in the audit trail; private skills and refusals none.
    const audited = await t.pg.query<{ value: { actor: { id: string }; target: { id: string }; details: unknown } }>(
      `SELECT value FROM control.outbox WHERE topic = 'audit.action-recorded.v1' AND key = $1
         AND value->>'action' = 'settings.changed' ORDER BY created_at, id`,
      [acme],
    );
    const skillIds = [id, adminDraft.body.id as string, draft.body.id as string];
    const facts = audited.rows.map((r) => r.value).filter((v) => skillIds.includes(v.target.id));
    const change = (by: TestPrincipal, skillId: string, what: string, command: string, visibility: string) => [
      by.id,
      skillId,
      { setting: 'skill', change: what, command, visibility },
    ];
    expect(facts.map((f) => [f.actor.id, f.target.id, f.details])).toEqual([
      change(admin, id, 'created', '/handbook', 'tenant'),
      change(owner, id, 'updated', '/handbook', 'tenant'),
      change(admin, adminDraft.body.id as string, 'updated', '/admin-draft', 'tenant'),
      change(owner, adminDraft.body.id as string, 'updated', '/admin-draft', 'private'),
      change(owner, id, 'deleted', '/handbook', 'tenant'),
    ]);
  });

  it('lets an API key keep private skills of its own', async () => {
    const created = await create(bot, skill('/bot-skill'));
    expect(created.status).toBe(201);
    expect((await list(bot)).map((s) => s.id)).toContain(created.body.id);
    expectProblem(await t.call(alice, 'GET', `/skills/${created.body.id}`), 404, 'not_found');
  });

  it('keeps a command unique among the skills a user sees (409 skill_command_taken)', async () => {
    await create(admin, skill('/shared', { visibility: 'tenant' }));
    const clash = await create(alice, skill('/shared'));
    expectProblem(clash, 409, 'skill_command_taken');
    expect(clash.body.error.details).toEqual({ command: '/shared' });
    expectProblem(await create(owner, skill('/shared', { visibility: 'tenant' })), 409, 'skill_command_taken');

    expect((await create(alice, skill('/twice'))).status).toBe(201);
    expectProblem(await create(alice, skill('/twice')), 409, 'skill_command_taken');
    // An admin's own private command blocks a tenant skill with it (the admin would see both).
    expect((await create(admin, skill('/admin-own'))).status).toBe(201);
    expectProblem(await create(admin, skill('/admin-own', { visibility: 'tenant' })), 409, 'skill_command_taken');

    const other = await create(alice, skill('/other'));
    expectProblem(
      await t.call(alice, 'PATCH', `/skills/${other.body.id}`, { command: '/twice' }),
      409,
      'skill_command_taken',
    );
    expectProblem(
      await t.call(alice, 'PATCH', `/skills/${other.body.id}`, { command: '/shared' }),
      409,
      'skill_command_taken',
    );
    expect((await t.call(alice, 'GET', `/skills/${other.body.id}`)).body.command).toBe('/other');
  });

  it('takes a command once when requests race for it', async () => {
    const admins = [owner, admin, t.principal(acme, 'admin'), t.principal(acme, 'owner')];
    const tenantRace = await Promise.all(
      admins.map((who) => create(who, skill('/race-tenant', { visibility: 'tenant' }))),
    );
    expect(tenantRace.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);

    const privateRace = await Promise.all([1, 2, 3, 4].map(() => create(alice, skill('/race-private'))));
    expect(privateRace.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);

    // The same admin asks for a private and a tenant skill with one command at once: the unique
    // indexes cannot see that pair, the command lock does.
    const mixed = await Promise.all([
      create(admin, skill('/race-mixed')),
      create(admin, skill('/race-mixed', { visibility: 'tenant' })),
      create(admin, skill('/race-mixed')),
      create(admin, skill('/race-mixed', { visibility: 'tenant' })),
    ]);
    expect(mixed.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const rows = await t.rows(acme, `SELECT visibility FROM skills WHERE command = '/race-mixed'`);
    expect(rows).toHaveLength(1);
  });

  it('refuses a template with an unknown variable (400 validation_failed) and accepts the known ones', async () => {
    const bad = await create(alice, skill('/tmpl', { systemPrompt: 'Hi {{user.name}}, {{input}} {{ secret }}' }));
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.error.details).toEqual({ unknownVariables: ['user.name', 'secret'] });
    const good = await create(
      alice,
      skill('/tmpl', { systemPrompt: '{{input}} / {{ tenant.name }} / {{date}} / { single } / {{ }}x' }),
    );
    expectProblem(good, 400, 'validation_failed'); // `{{ }}` names nothing: unknown too
    expect(
      (await create(alice, skill('/tmpl', { systemPrompt: '{{input}} / {{ tenant.name }} / {{date}} / { single }' })))
        .status,
    ).toBe(201);
    const id = (await list(alice)).find((s) => s.command === '/tmpl')?.id;
    expectProblem(
      await t.call(alice, 'PATCH', `/skills/${id}`, { systemPrompt: 'Now {{nope}}' }),
      400,
      'validation_failed',
    );
  });

  it.each([
    ['an unknown field', { ...skill('/v1'), tenantId: 'x' }],
    ['a command without slash', skill('v1')],
    ['an upper-case command', skill('/V1')],
    ['a command of 33 characters', skill(`/${'a'.repeat(33)}`)],
    ['a missing system prompt', { name: 'x', command: '/v1', visibility: 'private' }],
    ['a blank name', skill('/v1', { name: '   ' })],
    ['a bad visibility', skill('/v1', { visibility: 'public' })],
    ['a too long description', skill('/v1', { description: 'd'.repeat(501) })],
    ['a number as name', skill('/v1', { name: 42 })],
    ['a NUL byte', skill('/v1', { name: 'a\u0000b' })],
    ['an array body', [skill('/v1')]],
  ])('answers %s with 400 validation_failed', async (_, body) => {
    expectProblem(await create(alice, body), 400, 'validation_failed');
  });

  it('answers malformed changes, ids and missing principals with 4xx, never 500', async () => {
    const { body } = await create(alice, skill('/checks'));
    expectProblem(await t.call(alice, 'PATCH', `/skills/${body.id}`, { name: null }), 400, 'validation_failed');
    expectProblem(await t.call(alice, 'PATCH', `/skills/${body.id}`, { extra: 1 }), 400, 'validation_failed');
    expectProblem(await t.call(alice, 'PATCH', `/skills/${body.id}`, '{"name":'), 400, 'malformed_json');
    expectProblem(await t.call(alice, 'GET', '/skills/not-a-uuid'), 404, 'not_found');
    expectProblem(await t.call(alice, 'DELETE', `/skills/${body.id.toUpperCase()}`), 404, 'not_found');
    expectProblem(await t.call(null, 'GET', '/skills'), 401, 'invalid_principal');
    expectProblem(await t.call(null, 'POST', '/skills', skill('/anon')), 401, 'invalid_principal');
  });

  it("another tenant cannot see, change or delete a tenant's skills, and has its own commands", async () => {
    const tenantSkill = await create(owner, skill('/acme-only', { visibility: 'tenant' }));
    const privateSkill = await create(alice, skill('/acme-private'));
    const globexOwner = t.principal(globex, 'owner');
    const items = await list(globexOwner);
    expect(items.map((s) => s.id)).toEqual(BUILTIN_IDS);
    for (const id of [tenantSkill.body.id, privateSkill.body.id]) {
      expectProblem(await t.call(globexOwner, 'GET', `/skills/${id}`), 404, 'not_found');
      expectProblem(await t.call(globexOwner, 'PATCH', `/skills/${id}`, { name: 'x' }), 404, 'not_found');
      expectProblem(await t.call(globexOwner, 'DELETE', `/skills/${id}`), 404, 'not_found');
    }
    // The same user id in another tenant is another principal's data.
    expectProblem(
      await t.call({ ...alice, tenantId: globex }, 'GET', `/skills/${privateSkill.body.id}`),
      404,
      'not_found',
    );
    expect((await create(globexOwner, skill('/acme-only', { visibility: 'tenant' }))).status).toBe(201);
    expect((await t.call(owner, 'GET', `/skills/${tenantSkill.body.id}`)).body.command).toBe('/acme-only');
  });
});
