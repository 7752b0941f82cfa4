import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { DomainException, ErrorCode } from '@parley/contracts';
import {
  ATTR_TENANT_ID,
  contextFromHeaders,
  failSpan,
  LOGGER,
  SpanKind,
  startSpan,
  withSpan,
  type Logger,
  type Span,
} from '@parley/observability';
import { principalSubject, type Principal } from '../auth/principal';
import {
  CloseCode,
  HEARTBEAT_INTERVAL_MS,
  MAX_PAYLOAD_BYTES,
  MAX_SOCKETS_PER_PRINCIPAL,
  parseClientMessage,
  type RealtimeEvent,
} from './realtime-messages';
import { RealtimeChatHandler } from './realtime-chat.handler';
import { RealtimeSttHandler } from './realtime-stt.handler';
import { RealtimeHub, type SocketOwner } from './realtime.hub';
import { RealtimeMetrics, type UpgradeOutcome } from './realtime.metrics';
import { SessionSockets } from './session-sockets';
import { watchSocketCredential } from './socket-credential-watch';
import {
  AuthenticateUpgradeUseCase,
  BEARER_PROTOCOL,
  type UpgradeSession,
} from './usecases/authenticate-upgrade/authenticate-upgrade.usecase';

export const WS_PATH = '/ws';
/** setTimeout's ceiling (about 24.8 days); a later expiry re-arms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The `/ws` endpoint on the gateway's HTTP server. An upgrade is authenticated before any socket
 * exists (a refusal is an HTTP problem response, then the TCP socket is destroyed); an accepted
 * socket is registered in the RealtimeHub under its tenant and principal, hears `session.ready`,
 * answers pings, is closed 4401 when its access token expires, at once when its session is revoked
 * (SessionSockets), or, for an API key, once a re-check finds it revoked or expired
 * (socket-credential-watch), and terminated if it stops answering heartbeats.
 */
@Injectable()
export class RealtimeEndpoint implements OnModuleDestroy {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    clientTracking: true,
    handleProtocols: (protocols) => (protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false),
  });
  private readonly alive = new WeakSet<WebSocket>();
  private heartbeat: NodeJS.Timeout | undefined;
  private server: Server | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);

  constructor(
    private readonly authenticate: AuthenticateUpgradeUseCase,
    private readonly hub: RealtimeHub,
    private readonly metrics: RealtimeMetrics,
    private readonly chat: RealtimeChatHandler,
    private readonly stt: RealtimeSttHandler,
    private readonly sessions: SessionSockets,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Serves /ws on this HTTP server (called once the Nest app has created it). */
  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.server?.off('upgrade', this.onUpgrade);
    clearInterval(this.heartbeat);
    for (const socket of this.wss.clients) socket.close(CloseCode.GoingAway, 'server_shutdown');
    for (const socket of this.wss.clients) socket.terminate();
    this.wss.close();
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined); // a peer that vanishes mid-handshake is not our error
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    // The upgrade is a server span of its own (the HTTP instrumentation sees requests, not upgrades),
    // under the caller's traceparent; each chat frame on the socket is then a trace linked to it.
    const { traceparent } = req.headers;
    const { span } = startSpan(`WS upgrade ${WS_PATH}`, {
      kind: SpanKind.SERVER,
      parent: contextFromHeaders({ traceparent: typeof traceparent === 'string' ? traceparent : undefined }),
      attributes: { 'http.request.method': 'GET', 'url.path': path, 'network.protocol.name': 'websocket' },
    });
    if (path !== WS_PATH) {
      this.refuse(
        socket,
        new DomainException(ErrorCode.RouteNotFound, `No WebSocket endpoint at ${path}`),
        'not_found',
        span,
      );
      return;
    }
    withSpan(span, () => this.authenticate.execute(req)).then(
      (session) => this.accept(req, socket, head, session, span),
      (error: unknown) => this.refuse(socket, error, outcomeOf(error), span),
    );
  }

  private accept(req: IncomingMessage, socket: Duplex, head: Buffer, session: UpgradeSession, span: Span): void {
    const { principal } = session;
    const owner: SocketOwner = { tenantId: principal.tenantId, userId: principal.userId, apiKeyId: principal.apiKeyId };
    span.setAttribute(ATTR_TENANT_ID, principal.tenantId);
    if (socket.destroyed) {
      span.end();
      return;
    }
    if (this.hub.count(owner) >= MAX_SOCKETS_PER_PRINCIPAL) {
      this.refuse(socket, new DomainException(ErrorCode.RateLimited, 'Too many open WebSockets'), 'too_many', span);
      return;
    }
    // Synchronous from the count above to hub.add below: concurrent upgrades cannot overshoot the cap.
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      span.setAttribute('http.response.status_code', 101);
      span.end();
      this.metrics.upgrades.inc({ outcome: 'accepted' });
      this.metrics.connections.inc();
      this.hub.add(owner, ws);
      this.chat.attach(ws, principal, span.spanContext(), socket);
      this.alive.add(ws);
      const expiry = this.armExpiry(ws, session.expiresAt);
      const forgetSession = principal.sessionId
        ? this.sessions.add(principal.tenantId, principal.sessionId, ws)
        : undefined;
      const unwatch = session.recheck
        ? watchSocketCredential(ws, session.recheck, (err: unknown) =>
            this.logger.warn(
              { err, subject: principalSubject(principal) },
              'WebSocket API key could not be re-checked',
            ),
          )
        : undefined;
      ws.on('pong', () => this.alive.add(ws));
      ws.on('message', (data: Buffer, isBinary) => this.receive(ws, principal, data, isBinary));
      ws.on('error', (error) =>
        this.logger.debug({ err: error, subject: principalSubject(principal) }, 'WebSocket error'),
      );
      ws.on('close', () => {
        clearTimeout(expiry);
        unwatch?.();
        forgetSession?.();
        this.hub.remove(owner, ws);
        this.chat.detach(ws);
        this.stt.detach(ws);
        this.metrics.connections.dec();
      });
      send(ws, {
        type: 'session.ready',
        tenantId: principal.tenantId,
        userId: principal.userId,
        kind: principal.kind,
        expiresAt: session.expiresAt === null ? null : new Date(session.expiresAt).toISOString(),
      });
    });
  }

  private armExpiry(ws: WebSocket, expiresAt: number | null): NodeJS.Timeout | undefined {
    if (expiresAt === null) return undefined;
    const timer = setTimeout(
      () => {
        if (Date.now() >= expiresAt) ws.close(CloseCode.TokenExpired, 'token_expired');
        else this.armExpiry(ws, expiresAt);
      },
      Math.min(Math.max(expiresAt - Date.now(), 0), MAX_TIMER_MS),
    );
    timer.unref();
    return timer;
  }

  private receive(ws: WebSocket, principal: Principal, data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.stt.audio(ws, data); // binary frames are the audio of a speech session
      return;
    }
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) {
      send(ws, { type: 'error', code: parsed.code });
      return;
    }
    switch (parsed.message.type) {
      case 'ping':
        send(ws, { type: 'pong' });
        return;
      case 'message.send':
      case 'message.regenerate':
      case 'message.resend':
      case 'message.stop':
        this.chat.handle(ws, parsed.message);
        return;
      case 'stt.start':
      case 'stt.stop':
      case 'stt.abort':
        this.stt.handle(ws, principal, parsed.message);
        return;
    }
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /** An HTTP problem answer on the raw upgrade socket, then the socket is gone. */
  private refuse(socket: Duplex, error: unknown, outcome: UpgradeOutcome, span: Span): void {
    this.metrics.upgrades.inc({ outcome });
    const requestId = randomUUID();
    let status = 500;
    let body: Record<string, unknown>;
    if (error instanceof DomainException) {
      status = error.httpStatus;
      body = { code: error.code, message: error.message, requestId };
      span.setAttribute('error.type', error.code);
    } else {
      failSpan(span, error);
      const errorId = randomUUID();
      this.logger.error({ err: error, errorId, requestId }, 'WebSocket upgrade failed');
      body = { code: ErrorCode.Internal, message: 'Internal error', requestId, errorId };
    }
    span.setAttribute('http.response.status_code', status);
    span.end();
    if (socket.destroyed) return;
    const payload = JSON.stringify({ error: body });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
        `X-Request-ID: ${requestId}\r\n` +
        '\r\n' +
        payload,
      () => socket.destroy(),
    );
  }
}

function send(ws: WebSocket, event: RealtimeEvent): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
}

function outcomeOf(error: unknown): UpgradeOutcome {
  if (!(error instanceof DomainException)) return 'error';
  switch (error.httpStatus) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return error.code === ErrorCode.Forbidden ? 'forbidden' : 'tenant_refused';
    case 409:
    case 410:
      return 'tenant_refused';
    default:
      return 'error';
  }
}
