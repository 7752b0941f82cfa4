import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { revokedSessionKey } from '@parley/contracts';
import { SUBSCRIBER_CONNECTION_NAME } from '@parley/tenancy';
import { ensureInfra, waitFor } from '@parley/testing';
import { EdgeStack, type Member } from './support/edge-stack';

interface OpenSocket {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * Instant revocation at the edge (issue 10, defect 2), through the real gateway, auth, tenant and
 * chat-orchestrator: after each way a session ends, the same access token is refused at the next
 * request (401 `session_revoked`), the `/ws` upgrade too, and an open WebSocket of that session is
 * closed (4401 `session_revoked`) without waiting for the token to expire.
 */
describe('instant revocation at the edge', () => {
  let stack: EdgeStack;

  beforeAll(async () => {
    stack = await EdgeStack.start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const wsUrl = () => `${stack.api.replace(/^http/, 'ws')}/ws`;

  const openSocket = async (token: string): Promise<OpenSocket> => {
    const ws = new WebSocket(wsUrl(), ['bearer', token]);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
    );
    const frames: { type?: string }[] = [];
    ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as { type?: string }));
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => resolve());
      ws.on('error', reject);
    });
    await waitFor(() => frames[0]?.type === 'session.ready', { what: 'session.ready' });
    return { ws, closed };
  };

  /** The upgrade's HTTP answer status (101 when accepted). */
  const upgradeStatus = (token: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl(), ['bearer', token]);
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      });
      ws.on('error', () => undefined);
    });

  const expectWorks = async (token: string) => {
    expect((await stack.call('/api/v1/conversations', { token })).status).toBe(200);
    expect((await stack.call('/api/v1/me', { token })).status).toBe(200);
  };

  const expectRevoked = async (token: string) => {
    for (const path of ['/api/v1/conversations', '/api/v1/me']) {
      const answer = await stack.call(path, { token });
      expect({ path, status: answer.status, code: answer.body?.error?.code }).toEqual({
        path,
        status: 401,
        code: 'session_revoked',
      });
    }
    expect(await upgradeStatus(token)).toBe(401);
  };

  const expectClosedAsRevoked = async (socket: OpenSocket) => {
    expect(await socket.closed).toEqual({ code: 4401, reason: 'session_revoked' });
  };

  it('sign-out: the same access token is refused at once, and its open WebSocket is closed', async () => {
    const owner = await stack.signUp();
    await expectWorks(owner.accessToken);
    const socket = await openSocket(owner.accessToken);
    const out = await stack.call('/api/v1/auth/sign-out', { method: 'POST', token: owner.accessToken });
    expect(out.status).toBe(204);
    await expectClosedAsRevoked(socket);
    await expectRevoked(owner.accessToken);
  });

  it('refresh-token reuse: every access token of the family is refused, and its WebSocket closed', async () => {
    const owner = await stack.signUp();
    const rotated = await stack.call('/api/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: owner.refreshToken },
    });
    expect(rotated.status).toBe(200);
    await expectWorks(rotated.body.accessToken);
    const socket = await openSocket(rotated.body.accessToken);
    const reused = await stack.call('/api/v1/auth/refresh', {
      method: 'POST',
      body: { refreshToken: owner.refreshToken },
    });
    expect(reused.body?.error?.code).toBe('refresh_token_reused');
    await expectClosedAsRevoked(socket);
    await expectRevoked(owner.accessToken);
    await expectRevoked(rotated.body.accessToken);
  });

  it("member removal: the removed member's token is refused and their WebSocket closed", async () => {
    const owner = await stack.signUp();
    const member = await stack.join(owner, 'member');
    await expectWorks(member.accessToken);
    const socket = await openSocket(member.accessToken);
    const removed = await stack.call(`/api/v1/auth/members/${member.userId}`, {
      method: 'DELETE',
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    await expectClosedAsRevoked(socket);
    await expectRevoked(member.accessToken);
    await expectWorks(owner.accessToken);
  });

  it('password reset: every session of the account is refused, and its WebSocket closed', async () => {
    const owner = await stack.signUp();
    const member = await stack.join(owner, 'member');
    const socket = await openSocket(member.accessToken);
    const asked = await stack.call('/api/v1/auth/password-reset', { method: 'POST', body: { email: member.email } });
    expect(asked.status).toBeLessThan(300);
    const mail = await waitFor(
      () => stack.mail.messages().find((m) => m.to.includes(member.email) && m.text.includes('reset-password?token=')),
      { what: 'the reset mail' },
    );
    const token = decodeURIComponent(/reset-password\?token=([A-Za-z0-9_\-.~%]+)/.exec(mail.text)?.[1] ?? '');
    const confirmed = await stack.call('/api/v1/auth/password-reset/confirm', {
      method: 'POST',
      body: { token, password: 'a brand new passphrase' },
    });
    expect(confirmed.status).toBeLessThan(300);
    await expectClosedAsRevoked(socket);
    await expectRevoked(member.accessToken);
  });

  it('a revocation announced while the gateway could not hear it still closes the socket once it hears again', async () => {
    const owner = await stack.signUp();
    const socket = await openSocket(owner.accessToken);
    const claims = JSON.parse(Buffer.from(owner.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sid: string;
    };
    const redis = new Redis(ensureInfra().REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      // The revocation lands in the set, but its announcement is never published (as when the
      // gateway's subscription is down at that moment) ...
      await redis.set(revokedSessionKey(owner.tenantId, claims.sid), '1', 'EX', 120);
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
      // ... then the subscription drops and comes back (every gateway's, as after a Redis failover).
      const clients = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(` name=${SUBSCRIBER_CONNECTION_NAME} `))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) await redis.client('KILL', 'ID', id);
    } finally {
      redis.disconnect();
    }
    await expectClosedAsRevoked(socket);
  });

  describe('an admin signs a member out everywhere (POST /api/v1/auth/members/{id}/sign-out)', () => {
    let owner: Member;
    let admin: Member;
    let member: Member;

    beforeAll(async () => {
      owner = await stack.signUp();
      admin = await stack.join(owner, 'admin');
      member = await stack.join(owner, 'member');
    });

    it('a member cannot sign anyone out (403), and nobody is signed out', async () => {
      const refused = await stack.call(`/api/v1/auth/members/${admin.userId}/sign-out`, {
        method: 'POST',
        token: member.accessToken,
      });
      expect({ status: refused.status, code: refused.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
      await expectWorks(admin.accessToken);
    });

    it('an admin cannot sign out an owner (403)', async () => {
      const refused = await stack.call(`/api/v1/auth/members/${owner.userId}/sign-out`, {
        method: 'POST',
        token: admin.accessToken,
      });
      expect(refused.status).toBe(403);
      await expectWorks(owner.accessToken);
    });

    it('another tenant cannot sign out this tenant’s member (404), and the member keeps working', async () => {
      const stranger = await stack.signUp();
      const refused = await stack.call(`/api/v1/auth/members/${member.userId}/sign-out`, {
        method: 'POST',
        token: stranger.accessToken,
      });
      expect(refused.status).toBe(404);
      await expectWorks(member.accessToken);
    });

    it("revokes every session of the member: all their tokens are refused and WebSockets closed, others' are not", async () => {
      const second = await stack.call('/api/v1/auth/sign-in', {
        method: 'POST',
        body: { email: member.email, password: member.password },
      });
      expect(second.status).toBe(200);
      const sockets = [await openSocket(member.accessToken), await openSocket(second.body.accessToken)];
      const adminSocket = await openSocket(admin.accessToken);
      const out = await stack.call(`/api/v1/auth/members/${member.userId}/sign-out`, {
        method: 'POST',
        token: admin.accessToken,
      });
      expect(out.status).toBe(204);
      for (const socket of sockets) await expectClosedAsRevoked(socket);
      await expectRevoked(member.accessToken);
      await expectRevoked(second.body.accessToken);
      await expectWorks(admin.accessToken);
      expect(adminSocket.ws.readyState).toBe(WebSocket.OPEN);
      adminSocket.ws.close();
    });
  });
});
