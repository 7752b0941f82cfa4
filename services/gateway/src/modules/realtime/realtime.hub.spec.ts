import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RealtimeHub, type HubSocket } from './realtime.hub';

const TENANT_A = '3b0f6c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f';
const TENANT_B = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function socket(readyState: number = WebSocket.OPEN): HubSocket & { received: string[] } {
  const received: string[] = [];
  return { readyState, received, send: (data: string) => received.push(data) } as HubSocket & { received: string[] };
}

describe('RealtimeHub', () => {
  it('delivers to every open socket of the user in that tenant', () => {
    const hub = new RealtimeHub();
    const [one, two] = [socket(), socket()];
    hub.add({ tenantId: TENANT_A, userId: 'user-1' }, one);
    hub.add({ tenantId: TENANT_A, userId: 'user-1' }, two);
    expect(hub.sendToUser(TENANT_A, 'user-1', { type: 'token', text: 'hi' })).toBe(2);
    expect(one.received).toEqual(['{"type":"token","text":"hi"}']);
    expect(two.received).toEqual(['{"type":"token","text":"hi"}']);
  });

  it("never delivers to another tenant's sockets, even for the same user id", () => {
    const hub = new RealtimeHub();
    const [mine, theirs, theirsOtherUser] = [socket(), socket(), socket()];
    hub.add({ tenantId: TENANT_A, userId: 'user-1' }, mine);
    hub.add({ tenantId: TENANT_B, userId: 'user-1' }, theirs);
    hub.add({ tenantId: TENANT_B, userId: 'user-2' }, theirsOtherUser);
    hub.sendToUser(TENANT_A, 'user-1', { type: 'token' });
    expect(mine.received).toHaveLength(1);
    expect(theirs.received).toEqual([]);
    expect(theirsOtherUser.received).toEqual([]);
    expect(hub.sendToUser(TENANT_A, 'user-2', { type: 'token' })).toBe(0);
  });

  it('does not reach API-key sockets by user id, skips closed sockets and forgets removed ones', () => {
    const hub = new RealtimeHub();
    const key = socket();
    const closed = socket(WebSocket.CLOSED);
    hub.add({ tenantId: TENANT_A, userId: null, apiKeyId: 'user-1' }, key);
    hub.add({ tenantId: TENANT_A, userId: 'user-1' }, closed);
    expect(hub.sendToUser(TENANT_A, 'user-1', { type: 'token' })).toBe(0);
    expect(key.received).toEqual([]);
    expect(hub.count({ tenantId: TENANT_A, userId: 'user-1' })).toBe(1);
    hub.remove({ tenantId: TENANT_A, userId: 'user-1' }, closed);
    expect(hub.count({ tenantId: TENANT_A, userId: 'user-1' })).toBe(0);
    expect(hub.count({ tenantId: TENANT_A, userId: null, apiKeyId: 'user-1' })).toBe(1);
  });
});
