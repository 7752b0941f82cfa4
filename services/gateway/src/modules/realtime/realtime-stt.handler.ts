import { Inject, Injectable } from '@nestjs/common';
import { WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { ErrorCode, type SttClientMessage, type SttServerMessage } from '@parley/contracts';
import { InternalTokens, LOGGER, RequestContext, type Logger } from '@parley/observability';
import type { Principal } from '../auth/principal';
import { principalHeaders } from '../edge-routes/principal-headers';
import { ChatAdmission } from './chat-admission';

type SttErrorCode = Extract<SttServerMessage, { type: 'stt.error' }>['code'];

/** The stream error code of each admission refusal. */
const ADMISSION_CODES = new Map<ErrorCode, SttErrorCode>([
  [ErrorCode.InsufficientScope, 'insufficient_scope'],
  [ErrorCode.RateLimited, 'rate_limited'],
  [ErrorCode.TenantSuspended, 'tenant_suspended'],
]);

/** Audio a client may send while the upstream session is still connecting (bytes); more is refused. */
const MAX_PENDING_BYTES = 256 * 1024;

interface SttLink {
  upstream: WebSocket;
  pending: Buffer[];
  pendingBytes: number;
}

/**
 * Speech over `/ws`: `stt.start` is admitted like an HTTP request (scope `stt:write`, tenant active,
 * the principal's rate limit), then relayed with the audio frames that follow to the stt service's
 * `/stream` under a freshly minted principal token; its `stt.*` frames come back to this socket only.
 * One session per socket at a time; the socket closing aborts it.
 */
@Injectable()
export class RealtimeSttHandler {
  private readonly links = new WeakMap<WebSocket, SttLink>();
  private readonly streamUrl: string;

  constructor(
    private readonly admission: ChatAdmission,
    private readonly tokens: InternalTokens,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const base = config.gateway?.serviceUrls.stt;
    if (!base) throw new Error('RealtimeSttHandler needs the gateway configuration');
    this.streamUrl = `${base.replace(/\/+$/, '').replace(/^http/, 'ws')}/stream`;
  }

  handle(ws: WebSocket, principal: Principal, message: SttClientMessage): void {
    const link = this.links.get(ws);
    if (message.type !== 'stt.start') {
      if (!link) return send(ws, error('not_started', 'No speech session is running on this socket'));
      return link.upstream.readyState === WebSocket.OPEN ? link.upstream.send(JSON.stringify(message)) : undefined;
    }
    if (link) return send(ws, error('already_started', 'A speech session is already running on this socket'));
    void this.start(ws, principal, message).catch((err: unknown) => {
      this.logger.warn({ err }, 'Speech session could not start');
      this.links.delete(ws);
      send(ws, error('service_unavailable', 'The speech service is unavailable', true));
      send(ws, { type: 'stt.stopped', reason: 'error' });
    });
  }

  audio(ws: WebSocket, frame: Buffer): void {
    const link = this.links.get(ws);
    if (!link) return send(ws, error('not_started', 'Send stt.start before audio'));
    if (link.upstream.readyState === WebSocket.OPEN) return link.upstream.send(frame, { binary: true });
    link.pendingBytes += frame.length;
    if (link.pendingBytes > MAX_PENDING_BYTES)
      return send(ws, error('rate_exceeded', 'Too much audio before the session started'));
    link.pending.push(frame);
  }

  detach(ws: WebSocket): void {
    this.links.get(ws)?.upstream.terminate();
    this.links.delete(ws);
  }

  private async start(ws: WebSocket, principal: Principal, message: SttClientMessage): Promise<void> {
    // Reserve the socket's one session before anything asynchronous.
    const placeholder: SttLink = { upstream: null as unknown as WebSocket, pending: [], pendingBytes: 0 };
    this.links.set(ws, placeholder);
    const refusal = await this.admission.refusal(principal, 'stt:write');
    if (refusal) {
      this.links.delete(ws);
      send(ws, error(ADMISSION_CODES.get(refusal.code) ?? 'service_unavailable', refusal.message, true));
      send(ws, { type: 'stt.stopped', reason: 'error' });
      return;
    }
    const headers = await principalHeaders(principal, RequestContext.fresh().requestId, this.tokens);
    const upstream = new WebSocket(this.streamUrl, { headers, maxPayload: 1 << 20 });
    placeholder.upstream = upstream;
    upstream.on('open', () => {
      upstream.send(JSON.stringify(message));
      for (const frame of placeholder.pending) upstream.send(frame, { binary: true });
      placeholder.pending = [];
    });
    upstream.on('message', (data: Buffer, isBinary) => {
      if (isBinary || ws.readyState !== WebSocket.OPEN) return;
      ws.send(data.toString('utf8'));
      if ((JSON.parse(data.toString('utf8')) as SttServerMessage).type === 'stt.stopped') {
        this.links.delete(ws);
        upstream.close();
      }
    });
    upstream.on('error', (err) => this.logger.warn({ err }, 'Speech upstream socket failed'));
    upstream.on('close', () => {
      if (this.links.get(ws) !== placeholder) return;
      this.links.delete(ws);
      send(ws, error('service_unavailable', 'The speech session was cut off', true));
      send(ws, { type: 'stt.stopped', reason: 'error' });
    });
  }
}

function error(
  code: Extract<SttServerMessage, { type: 'stt.error' }>['code'],
  message: string,
  fatal = false,
): SttServerMessage {
  return { type: 'stt.error', code, message, fatal };
}

function send(ws: WebSocket, message: SttServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}
