import { createHash, randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infra } from '@parley/testing';
import { AuthStack } from '../../testing/auth-stack';

const PASSWORD = 'correct horse battery staple';
const WINDOW_MS = 3000;

describe('auth sign-in lockout: per account and per address, exponential backoff, recovery', () => {
  let stack: AuthStack;
  let redis: Redis;

  const freshIp = () => `10.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  const signIn = (email: string, password: string, ip: string) =>
    stack.send('POST', '/auth/sign-in', { body: JSON.stringify({ email, password }), ip });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    stack = await AuthStack.start({
      AUTH_LOCKOUT_THRESHOLD: '3',
      AUTH_LOCKOUT_IP_THRESHOLD: '6',
      AUTH_LOCKOUT_WINDOW_SECONDS: String(WINDOW_MS / 1000),
      AUTH_LOCKOUT_BASE_DELAY_SECONDS: '1',
    });
    redis = new Redis(infra().REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stack?.stop();
  });

  it('refuses an account after N failures with 429 and Retry-After, backs off, and recovers after the window', async () => {
    const { user } = await stack.signUp();
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await signIn(user.email, 'wrong password', ip)).status).toBe(401);

    const locked = await signIn(user.email, PASSWORD, ip); // even the right password is not checked now
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({ code: 'too_many_attempts', details: { retryAfterSeconds: 1 } });
    expect(locked.retryAfter).toBe('1');
    expect((await signIn(user.email, PASSWORD, freshIp())).status).toBe(429); // the account, from anywhere

    await sleep(1100);
    expect((await signIn(user.email, 'wrong again', ip)).status).toBe(401); // allowed once more, and fails
    const longer = await signIn(user.email, PASSWORD, ip);
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe('2'); // doubled

    await sleep(WINDOW_MS + 200);
    expect((await signIn(user.email, PASSWORD, ip)).status).toBe(200);
    // Success starts the account afresh: N − 1 failures do not lock it.
    for (let i = 0; i < 2; i++) expect((await signIn(user.email, 'wrong password', ip)).status).toBe(401);
    expect((await signIn(user.email, PASSWORD, ip)).status).toBe(200);
  });

  it('counts unknown emails like real ones, under platform: keys that hold no email', async () => {
    const email = `ghost-${randomInt(1e9)}@example.com`;
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await signIn(email, 'whatever', ip)).status).toBe(401);
    expect((await signIn(email, 'whatever', ip)).status).toBe(429);
    const hash = createHash('sha256').update(email).digest('hex');
    expect(await redis.exists(`platform:auth:lockout:account:${hash}:lock`)).toBe(1);
    expect(await redis.exists(`platform:auth:lockout:ip:${ip}:failures`)).toBe(1);
    expect(await redis.keys(`*${email}*`)).toEqual([]);
  });

  it('refuses an address after its threshold across accounts; another address still signs in', async () => {
    const { user } = await stack.signUp();
    const ip = freshIp();
    for (let i = 0; i < 6; i++) {
      expect((await signIn(`spray-${i}-${randomInt(1e9)}@example.com`, 'guess', ip)).status).toBe(401);
    }
    const blocked = await signIn(user.email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await signIn(user.email, PASSWORD, freshIp())).status).toBe(200);
  });

  it('applies to accepting an invite with an existing account’s password', async () => {
    const inviter = await stack.signUp();
    const joiner = await stack.signUp();
    await stack.post('/auth/invites', { email: joiner.user.email, role: 'member' }, inviter.accessToken);
    const mail = await stack.mail.waitForMail(joiner.user.email);
    const token = /token=([^\s&]+)/.exec(mail.text)?.[1] ?? '';
    const ip = freshIp();
    const accept = (password: string) =>
      stack.send('POST', '/auth/invites/accept', { body: JSON.stringify({ token, password }), ip });
    for (let i = 0; i < 3; i++) expect((await accept('wrong password')).status).toBe(401);
    const locked = await accept(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe('1');
  });

  it('takes the address from X-Forwarded-For only as far as TRUST_PROXY_HOPS allows', async () => {
    const { user } = await stack.signUp();
    const ip = freshIp();
    // One trusted hop: a client-supplied address in front of the proxy's is ignored.
    const spoofed = (fake: string) =>
      stack.send('POST', '/auth/sign-in', {
        body: JSON.stringify({ email: `spoof-${randomInt(1e9)}@example.com`, password: 'x' }),
        ip: `${fake}, ${ip}`,
      });
    for (let i = 0; i < 6; i++) expect((await spoofed(freshIp())).status).toBe(401);
    expect((await signIn(user.email, PASSWORD, ip)).status).toBe(429);
  });
});
