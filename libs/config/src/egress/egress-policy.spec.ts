import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { EgressPolicy } from './egress-policy';

const cloud = new EgressPolicy({ allowHttp: false, allowPrivate: false, allowlist: [] });
const selfHosted = new EgressPolicy({ allowHttp: true, allowPrivate: true, allowlist: [] });

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (error: { code?: string }) => error.code,
  );

describe('EgressPolicy', () => {
  it.each([
    'http://127.0.0.1:9/v1',
    'https://127.0.0.1/v1',
    'https://2130706433/v1',
    'https://0177.0.0.1/v1',
    'https://[::1]/v1',
    'https://[::ffff:127.0.0.1]/v1',
    'https://[::ffff:a9fe:a9fe]/latest',
    'https://169.254.169.254/latest/meta-data',
    'https://[fd00:ec2::254]/latest',
    'https://10.0.0.5/v1',
    'https://100.64.1.1/v1',
    'https://0.0.0.0/v1',
    'https://localhost/v1',
    'http://api.openai.com/v1',
    'https://user:pass@8.8.8.8/v1',
    'ftp://8.8.8.8/v1',
    'not a url',
  ])('in cloud mode refuses %s (egress_denied)', async (url) => {
    expect(await code(cloud.checkUrl(url))).toBe('egress_denied');
  });

  it('in cloud mode allows https to a public address', async () => {
    expect(await code(cloud.checkUrl('https://8.8.8.8/v1'))).toBe('allowed');
  });

  it('accepts on save a name that does not resolve yet, and refuses it at connect time', async () => {
    expect(await code(cloud.checkUrl('https://nowhere.invalid/v1'))).toBe('allowed');
    const outcome = await new Promise<string>((resolve) => {
      const req = request('http://nowhere.invalid:9/', { lookup: cloud.lookup }, () => resolve('connected'));
      req.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(outcome).not.toBe('connected');
  });

  it('self-hosted allows http to loopback and private addresses, never the metadata address', async () => {
    expect(await code(selfHosted.checkUrl('http://127.0.0.1:11434/v1'))).toBe('allowed');
    expect(await code(selfHosted.checkUrl('http://192.168.1.20:11434/v1'))).toBe('allowed');
    expect(await code(selfHosted.checkUrl('http://169.254.169.254/latest'))).toBe('egress_denied');
    expect(await code(selfHosted.checkUrl('http://224.0.0.1/'))).toBe('egress_denied');
  });

  it("honours the operator's allowlist of ranges and hosts", async () => {
    const listed = new EgressPolicy({ allowHttp: false, allowPrivate: false, allowlist: ['10.0.0.0/8', 'localhost'] });
    expect(await code(listed.checkUrl('https://10.2.3.4/v1'))).toBe('allowed');
    expect(await code(listed.checkUrl('https://[::ffff:10.2.3.4]/v1'))).toBe('allowed');
    expect(await code(listed.checkUrl('https://localhost/v1'))).toBe('allowed');
    expect(await code(listed.checkUrl('https://11.0.0.1/v1'))).toBe('allowed');
    expect(await code(listed.checkUrl('https://192.168.0.1/v1'))).toBe('egress_denied');
    const v6 = new EgressPolicy({ allowHttp: false, allowPrivate: false, allowlist: ['fd00::/8'] });
    expect(await code(v6.checkUrl('https://[fd12::1]/v1'))).toBe('allowed');
    expect(await code(v6.checkUrl('https://[fc00::1]/v1'))).toBe('egress_denied');
  });

  it('refuses at connect time through its lookup: a name that resolves to loopback never connects', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request('http://localhost:9/', { lookup: cloud.lookup }, () => resolve('connected'));
      req.on('error', (error: Error & { code?: string }) => resolve(error.code ?? error.message));
      req.end();
    });
    expect(outcome).toBe('egress_denied');
  });

  it('refuses an address literal at connect time (no lookup happens for one)', () => {
    expect(() => cloud.assertConnectable(new URL('https://[::ffff:7f00:1]/v1'))).toThrow(/loopback/);
    expect(() => cloud.assertConnectable(new URL('https://8.8.8.8/v1'))).not.toThrow();
  });

  it('refuses plaintext before any call unless the operator allows it (assertCallable)', () => {
    expect(() => cloud.assertCallable(new URL('http://8.8.8.8/v1'))).toThrow(/http is not allowed, only https/);
    expect(() => cloud.assertCallable(new URL('ws://8.8.8.8/v1'))).toThrow(/ws is not allowed, only wss/);
    expect(() => cloud.assertCallable(new URL('https://127.0.0.1/v1'))).toThrow(/loopback/);
    expect(() => cloud.assertCallable(new URL('wss://8.8.8.8/v1'))).not.toThrow();
    expect(() => selfHosted.assertCallable(new URL('http://127.0.0.1:9/v1'))).not.toThrow();
  });
});

describe('EgressPolicy.resolveConnectable (LDAP and other non-http protocols)', () => {
  it.each(['127.0.0.1', 'localhost', '10.1.2.3', '169.254.169.254', '[::1]', '0.0.0.0'])(
    'in cloud mode refuses %s',
    async (host) => {
      expect(await code(cloud.resolveConnectable(host))).toBe('egress_denied');
    },
  );

  it('answers the checked address itself, so the socket connects where the check looked', async () => {
    expect(await cloud.resolveConnectable('8.8.8.8')).toBe('8.8.8.8');
    expect(await selfHosted.resolveConnectable('localhost')).toMatch(/^(127\.0\.0\.1|::1)$/);
    const allowlisted = new EgressPolicy({ allowHttp: false, allowPrivate: false, allowlist: ['127.0.0.0/8'] });
    expect(await allowlisted.resolveConnectable('127.0.0.1')).toBe('127.0.0.1');
  });
});
