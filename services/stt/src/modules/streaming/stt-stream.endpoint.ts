import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WebSocket, WebSocketServer } from 'ws';
import {
  DomainException,
  ErrorCode,
  hasScope,
  INTERNAL_PRINCIPAL_HEADER,
  STT_STREAM_LIMITS,
  sttClientMessageSchema,
  type SttServerMessage,
  type SttStart,
} from '@parley/contracts';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { InternalTokens, LOGGER, type Logger } from '@parley/observability';
import { RetryLaterException } from '@parley/contracts';
import { SttWorkerPool } from '../engine/stt-worker-pool';
import { principalFromClaims, type SttPrincipal } from '../principal/stt-principal';
import { SpeechEngines } from '../upstreams/speech-engines';
import { usageProvider } from '../upstreams/upstream-target';
import { SPEECH_PRICE_TABLE, speechPriceOf } from '../usage/speech-price-table';
import { SttUsage, type SttUsageRecord } from '../usage/stt-usage';
import type { StreamSession } from './stream-session';
import { SttStreamSession } from './stt-stream-session';
import { UpstreamStreamSession } from './upstream-stream-session';

export const STT_STREAM_PATH = '/stream';
/** Audio kept while a session starts (10 s of pcm16); more before `stt.started` is refused. */
const MAX_EARLY_BYTES = 10 * 32_000;
/** A session's reservation outlives its longest length by this much before it is dropped as abandoned. */
const RESERVATION_MARGIN_MS = 60_000;

/**
 * The streaming endpoint the gateway relays `/ws` speech sessions to: a WebSocket at `/stream`
 * whose upgrade carries the gateway's signed principal token (401 otherwise; an API key needs
 * `stt:write`). JSON frames are `stt.start`, `stt.stop`, `stt.abort`; binary frames are audio.
 */
@Injectable()
export class SttStreamEndpoint implements OnModuleDestroy {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: STT_STREAM_LIMITS.maxFrameBytes + 1024 });
  private server: Server | undefined;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    void this.upgrade(req, socket, head);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tokens: InternalTokens,
    private readonly pool: SttWorkerPool,
    private readonly usage: SttUsage,
    private readonly engines: SpeechEngines,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  attach(server: Server): void {
    this.server = server;
    server.on('upgrade', this.onUpgrade);
  }

  onModuleDestroy(): void {
    this.server?.off('upgrade', this.onUpgrade);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined);
    if (new URL(req.url ?? '/', 'http://stt').pathname !== STT_STREAM_PATH)
      return refuse(socket, 404, 'route_not_found');
    let principal: SttPrincipal;
    try {
      const header = req.headers[INTERNAL_PRINCIPAL_HEADER];
      principal = principalFromClaims(await this.tokens.verifyPrincipal(Array.isArray(header) ? header[0] : header));
    } catch {
      return refuse(socket, 401, ErrorCode.InvalidPrincipal);
    }
    if (principal.kind === 'api-key' && !hasScope(principal.scopes, 'stt:write')) {
      return refuse(socket, 403, ErrorCode.InsufficientScope);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, principal));
  }

  /**
   * The minutes and billing's gate first, then the session: relayed to the tenant's (or the
   * platform's) streaming upstream when there is one, else on the embedded engine.
   */
  private async open(
    principal: SttPrincipal,
    start: SttStart & { silenceMs: number },
    io: { send: (message: SttServerMessage) => void; onClosed: () => void },
  ): Promise<StreamSession> {
    const target = await this.engines.streamTargetFor(principal.tenantId);
    const reservationId = `stream-session:${randomUUID()}`;
    const allowance = await this.usage.admit(principal, {
      id: reservationId,
      maxSeconds: STT_STREAM_LIMITS.maxSessionSeconds,
      microsPerHour: target ? speechPriceOf(SPEECH_PRICE_TABLE, usageProvider(target), target.model) : 0,
      ttlMs: STT_STREAM_LIMITS.maxSessionSeconds * 1000 + RESERVATION_MARGIN_MS,
    });
    const budget = {
      remainingSeconds: Math.min(allowance.remainingSeconds, STT_STREAM_LIMITS.maxSessionSeconds),
      maxAudioSeconds: allowance.maxAudioSeconds,
    };
    // Each utterance's cost moves out of the session's reservation; what is left goes back at the end.
    const usage = { record: (record: SttUsageRecord) => this.usage.record({ ...record, reservationId }) };
    const release = () => void this.usage.release(principal.tenantId, reservationId);
    const deps = {
      usage,
      principal,
      send: io.send,
      onClosed: () => {
        release();
        io.onClosed();
      },
    };
    try {
      if (target) return await UpstreamStreamSession.open(start, budget, { target, ...deps });
      return new SttStreamSession(start, budget, {
        pool: this.pool,
        beamSize: this.config.stt?.beamSize ?? 5,
        ...deps,
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  private serve(ws: WebSocket, principal: SttPrincipal): void {
    let session: StreamSession | null = null;
    let starting = false;
    /** Audio sent right after `stt.start`, while the minutes are checked: given to the session once it runs. */
    let early: Buffer[] = [];
    let earlyBytes = 0;
    const send = (message: SttServerMessage) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    };
    const error = (code: Extract<SttServerMessage, { type: 'stt.error' }>['code'], message: string, fatal = false) =>
      send({ type: 'stt.error', code, message, fatal });
    ws.on('close', () => session?.abort());
    ws.on('error', (err) => this.logger.debug({ err }, 'stt stream socket error'));
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        if (session) session.audio(data);
        else if (starting && earlyBytes + data.length <= MAX_EARLY_BYTES) {
          early.push(data);
          earlyBytes += data.length;
        } else error('not_started', 'Send stt.start before audio');
        return;
      }
      let parsed;
      try {
        parsed = sttClientMessageSchema.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return error('malformed_message', 'Not an stt.start, stt.stop or stt.abort message');
      const message = parsed.data;
      if (message.type === 'stt.start') {
        if (session || starting) return error('already_started', 'A session is already running on this socket');
        starting = true;
        this.open(
          principal,
          { ...message, silenceMs: message.silenceMs ?? STT_STREAM_LIMITS.defaultSilenceMs },
          {
            send,
            onClosed: () => (session = null),
          },
        ).then(
          (opened) => {
            starting = false;
            if (ws.readyState !== WebSocket.OPEN) return opened.abort();
            session = opened;
            for (const frame of early) session.audio(frame);
            early = [];
            earlyBytes = 0;
          },
          (refusal: unknown) => {
            starting = false;
            early = [];
            earlyBytes = 0;
            const { code, reason } = refusalOf(refusal);
            send({
              type: 'stt.error',
              code,
              message: refusal instanceof DomainException ? refusal.message : 'The session could not start',
              fatal: true,
              ...(refusal instanceof DomainException && refusal.details ? { details: refusal.details } : {}),
            });
            send({ type: 'stt.stopped', reason });
          },
        );
        return;
      }
      if (!session) return error('not_started', 'No session is running');
      if (message.type === 'stt.stop') void session.stop();
      else session.abort();
    });
  }
}

type StreamErrorCode = Extract<SttServerMessage, { type: 'stt.error' }>['code'];
type StopReason = Extract<SttServerMessage, { type: 'stt.stopped' }>['reason'];

/** Why a session could not start, as the stream's error code and stop reason. */
function refusalOf(refusal: unknown): { code: StreamErrorCode; reason: StopReason } {
  if (refusal instanceof RetryLaterException && refusal.code === ErrorCode.QuotaExceeded) {
    return { code: 'quota_exceeded', reason: 'quota_exceeded' };
  }
  if (!(refusal instanceof DomainException)) return { code: 'service_unavailable', reason: 'error' };
  return REFUSALS.get(refusal.code) ?? { code: 'service_unavailable', reason: 'error' };
}

const REFUSALS = new Map<ErrorCode, { code: StreamErrorCode; reason: StopReason }>([
  [ErrorCode.BudgetExceeded, { code: 'budget_exceeded', reason: 'budget_exceeded' }],
  [ErrorCode.PaymentRequired, { code: 'payment_required', reason: 'payment_required' }],
  [ErrorCode.SttUpstreamAuthFailed, { code: 'stt_upstream_auth_failed', reason: 'error' }],
  [ErrorCode.SttUpstreamUnavailable, { code: 'stt_upstream_unavailable', reason: 'error' }],
  [ErrorCode.EgressDenied, { code: 'egress_denied', reason: 'error' }],
]);

function refuse(socket: Duplex, status: number, code: string): void {
  const body = JSON.stringify({ error: { code, message: code } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
