import { Injectable } from '@nestjs/common';
import { WebSocket } from 'ws';
import type { RealtimeEvent } from './realtime-messages';

/** What the hub needs of a socket (a `ws` WebSocket in production). */
export type HubSocket = Pick<WebSocket, 'send' | 'readyState'>;

/** Whom a socket belongs to: its tenant and its principal (a user, or an API key). */
export interface SocketOwner {
  tenantId: string;
  userId: string | null;
  apiKeyId?: string;
}

/**
 * The open sockets of this replica, by tenant and then by principal. Delivery always goes through
 * the tenant first: `sendToUser(tenantId, userId, …)` can only ever reach sockets registered
 * under that tenant, whatever the user id (ids are not trusted to be unique across tenants).
 */
@Injectable()
export class RealtimeHub {
  private readonly tenants = new Map<string, Map<string, Set<HubSocket>>>();

  add(owner: SocketOwner, socket: HubSocket): void {
    let subjects = this.tenants.get(owner.tenantId);
    if (!subjects) this.tenants.set(owner.tenantId, (subjects = new Map<string, Set<HubSocket>>()));
    const key = subjectKey(owner);
    let sockets = subjects.get(key);
    if (!sockets) subjects.set(key, (sockets = new Set<HubSocket>()));
    sockets.add(socket);
  }

  remove(owner: SocketOwner, socket: HubSocket): void {
    const subjects = this.tenants.get(owner.tenantId);
    const key = subjectKey(owner);
    const sockets = subjects?.get(key);
    if (!subjects || !sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) subjects.delete(key);
    if (subjects.size === 0) this.tenants.delete(owner.tenantId);
  }

  /** Open sockets of this principal on this replica. */
  count(owner: SocketOwner): number {
    return this.tenants.get(owner.tenantId)?.get(subjectKey(owner))?.size ?? 0;
  }

  /** Sends the event to every open socket of this user in this tenant; returns how many got it. */
  sendToUser(tenantId: string, userId: string, event: RealtimeEvent): number {
    const sockets = this.tenants.get(tenantId)?.get(`user:${userId}`);
    if (!sockets) return 0;
    const data = JSON.stringify(event);
    let delivered = 0;
    for (const socket of sockets) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      socket.send(data);
      delivered += 1;
    }
    return delivered;
  }
}

function subjectKey(owner: SocketOwner): string {
  if (owner.userId !== null) return `user:${owner.userId}`;
  return `api-key:${owner.apiKeyId ?? 'unknown'}`;
}
