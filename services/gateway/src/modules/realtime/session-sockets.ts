import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WebSocket } from 'ws';
import type { SessionRevokedMessage } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { SessionRevocations } from '@parley/tenancy';
import { CloseCode } from './realtime-messages';

/**
 * The open WebSockets of this replica by session. Auth announces every revocation (Redis pub/sub,
 * see SessionRevocations); the sockets of a revoked session close at once with 4401
 * `session_revoked`, as its next HTTP request would be refused. Announcements made while this
 * replica's subscription was down are caught up when it is back: the open sessions are checked
 * against the revocation set then.
 */
@Injectable()
export class SessionSockets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly revocations: SessionRevocations,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: a Redis that is down at boot delays the subscription, not the gateway.
    this.revocations
      .listen(
        (message) => this.closeRevoked(message),
        () => void this.closeMissedRevocations(),
      )
      .then(
        (stop) => (this.stopListening = stop),
        (error: unknown) => this.logger.error({ err: error }, 'Session revocations cannot be heard'),
      );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopListening?.();
  }

  /** Registers the socket of a session; returns the function that forgets it (on close). */
  add(tenantId: string, sessionId: string, ws: WebSocket): () => void {
    const key = `${tenantId}:${sessionId}`;
    let sockets = this.sockets.get(key);
    if (!sockets) this.sockets.set(key, (sockets = new Set<WebSocket>()));
    sockets.add(ws);
    return () => {
      sockets.delete(ws);
      if (sockets.size === 0 && this.sockets.get(key) === sockets) this.sockets.delete(key);
    };
  }

  /** After the subscription was lost: the open sessions revoked meanwhile close now. */
  private async closeMissedRevocations(): Promise<void> {
    const open = [...this.sockets.keys()].map((key) => {
      const colon = key.indexOf(':');
      return { tenantId: key.slice(0, colon), sessionId: key.slice(colon + 1) };
    });
    try {
      const revoked = await this.revocations.revokedAmong(open);
      for (const { tenantId, sessionId } of revoked) this.closeRevoked({ tenantId, sessionIds: [sessionId] });
      if (revoked.length > 0) this.logger.info({ sessions: revoked.length }, 'Closed sockets revoked while unheard');
    } catch (error) {
      this.logger.warn({ err: error }, 'Revocations missed while unsubscribed cannot be checked');
    }
  }

  private closeRevoked({ tenantId, sessionIds }: SessionRevokedMessage): void {
    for (const sessionId of sessionIds) {
      for (const ws of this.sockets.get(`${tenantId}:${sessionId}`) ?? []) {
        if (ws.readyState === WebSocket.OPEN) ws.close(CloseCode.TokenExpired, 'session_revoked');
      }
    }
  }
}
