import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SkillResolver } from './skill-resolver';
import { ChatTestApp, chatPrincipal, type TestPrincipal } from './testing/chat-test-app';

describe('SkillResolver: /command messages become skill prompts', () => {
  let t: ChatTestApp;
  let resolver: SkillResolver;
  let acme: string;
  let globex: string;
  let admin: TestPrincipal;
  let alice: TestPrincipal;
  let bob: TestPrincipal;

  const resolve = (who: TestPrincipal, content: string) => resolver.resolve(chatPrincipal(who), content);
  const create = async (who: TestPrincipal, body: Record<string, unknown>) => {
    const res = await t.call(who, 'POST', '/skills', { visibility: 'private', ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await ChatTestApp.start();
    resolver = t.app.get(SkillResolver);
    acme = await t.createTenant('Acme Rockets');
    globex = await t.createTenant('Globex');
    admin = t.principal(acme, 'admin');
    alice = t.principal(acme, 'member');
    bob = t.principal(acme, 'member');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('passes an ordinary message through untouched, without the database', async () => {
    // A tenant with neither a control row nor a schema: any database read would fail.
    const ghost = { tenantId: randomUUID(), kind: 'user' as const, id: randomUUID(), role: 'member' as const };
    for (const content of ['hello', ' /doc leading space', '/Doc upper case', '/etc/hosts is a path', '//doc', '/']) {
      expect(await resolve(ghost, content)).toEqual({
        skill: null,
        systemPrompt: null,
        userContent: content,
        modelOverride: null,
      });
    }
    // Built-ins need no database either.
    expect((await resolve(ghost, '/doc x')).skill?.id).toBe('builtin:doc');
    await expect(resolve(ghost, '/not-builtin x')).rejects.toThrow();
  });

  it('routes a built-in command with the rest of the message as the user turn', async () => {
    const before = today();
    const resolved = await resolve(alice, '/review-code   function add(a, b) { return a - b }  \n');
    expect(resolved).toMatchObject({
      skill: { id: 'builtin:review-code', command: '/review-code', name: 'Code reviewer' },
      userContent: 'function add(a, b) { return a - b }',
      modelOverride: null,
    });
    expect(resolved.systemPrompt).toMatch(/security/i);

    const doc = await resolve(alice, '/doc\nHow to deploy the gateway');
    expect(doc.userContent).toBe('How to deploy the gateway');
    expect(doc.systemPrompt).not.toContain('{{');
    expect([before, today()].some((day) => doc.systemPrompt?.includes(`Today is ${day}.`))).toBe(true);

    // A command alone: the skill's name stands in for the empty user turn.
    expect(await resolve(alice, '/palette')).toMatchObject({
      skill: { id: 'builtin:palette' },
      userContent: 'Colour palette designer',
    });
    expect((await resolve(alice, '/breakdown   ')).userContent).toBe('Task breakdown');
  });

  it('renders a stored skill: input, tenant name and date, in one pass, with the skill model', async () => {
    const { id } = await create(alice, {
      name: 'Release notes',
      command: '/notes',
      model: 'gpt-4.1',
      systemPrompt: 'Write release notes for {{ tenant.name }} dated {{date}} from: {{input}}. End.',
    });
    const before = today();
    const resolved = await resolve(alice, '/notes fixed {{tenant.name}} bug {{date}}');
    expect(resolved.skill).toEqual({ id, command: '/notes', name: 'Release notes' });
    expect(resolved.modelOverride).toBe('gpt-4.1');
    expect(resolved.userContent).toBe('fixed {{tenant.name}} bug {{date}}');
    const rendered = (day: string) =>
      `Write release notes for Acme Rockets dated ${day} from: fixed {{tenant.name}} bug {{date}}. End.`;
    expect([rendered(before), rendered(today())]).toContain(resolved.systemPrompt);
  });

  it('prefers the caller’s own private skill, then the tenant’s', async () => {
    // Alice's private /standup exists first, so the admin's later tenant /standup does not clash with it.
    await create(alice, { name: 'Mine', command: '/standup', systemPrompt: 'Private: {{input}}' });
    const tenantSkill = await create(admin, {
      name: 'Team standup',
      command: '/standup',
      systemPrompt: 'Tenant: {{input}}',
      visibility: 'tenant',
    });
    expect((await resolve(alice, '/standup today')).systemPrompt).toBe('Private: today');
    const forBob = await resolve(bob, '/standup today');
    expect(forBob.systemPrompt).toBe('Tenant: today');
    expect(forBob.skill?.id).toBe(tenantSkill.id);
    expect(forBob.modelOverride).toBeNull();
  });

  it('refuses an unknown command with 400 unknown_skill, and another user’s private command too', async () => {
    await create(alice, { name: 'Alice only', command: '/alice-only', systemPrompt: 'A' });
    await expect(resolve(alice, '/nope please')).rejects.toMatchObject({
      code: 'unknown_skill',
      httpStatus: 400,
      details: { command: '/nope' },
    });
    await expect(resolve(bob, '/alice-only hi')).rejects.toMatchObject({
      code: 'unknown_skill',
      details: { command: '/alice-only' },
    });
    expect((await resolve(alice, '/alice-only hi')).systemPrompt).toBe('A');
  });

  it('resolves an API key’s private skill for that key only', async () => {
    const key = t.principal(acme, 'api-key');
    await create(key, { name: 'Bot', command: '/bot', systemPrompt: 'Bot mode' });
    expect((await resolve(key, '/bot go')).systemPrompt).toBe('Bot mode');
    await expect(resolve(t.principal(acme, 'api-key'), '/bot go')).rejects.toMatchObject({ code: 'unknown_skill' });
  });

  it("another tenant cannot use a tenant's skills: the same command is unknown there", async () => {
    await create(admin, { name: 'Acme', command: '/acme-guide', systemPrompt: 'Acme', visibility: 'tenant' });
    expect((await resolve(alice, '/acme-guide')).systemPrompt).toBe('Acme');
    const stranger = t.principal(globex, 'owner');
    await expect(resolve(stranger, '/acme-guide')).rejects.toMatchObject({ code: 'unknown_skill' });
    // Even with a user id that has skills in Acme.
    await expect(resolve({ ...alice, tenantId: globex }, '/alice-only x')).rejects.toMatchObject({
      code: 'unknown_skill',
    });
    // Globex's own skill of that name renders with Globex's name.
    await create(stranger, { name: 'G', command: '/acme-guide', systemPrompt: 'For {{tenant.name}}' });
    expect((await resolve(stranger, '/acme-guide')).systemPrompt).toBe('For Globex');
  });
});
