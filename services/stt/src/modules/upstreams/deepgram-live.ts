import type { ClientRequest, IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { DomainException, ErrorCode } from '@parley/contracts';
import type { UpstreamTarget } from './upstream-target';

/** Deepgram's `Results` message (the fields used; others pass). */
const resultsSchema = z.object({
  type: z.literal('Results'),
  start: z.number(),
  duration: z.number(),
  is_final: z.boolean(),
  speech_final: z.boolean(),
  channel: z.object({ alternatives: z.array(z.object({ transcript: z.string() })) }),
});
export type DeepgramResults = z.infer<typeof resultsSchema>;

export interface DeepgramListenOptions {
  /** ISO-639-1; null: Deepgram's default. */
  language: string | null;
  /** Silence that ends an utterance (ms); null: no endpointing (push-to-talk: the client's stop ends it). */
  endpointingMs: number | null;
}

export interface DeepgramHandlers {
  onResults: (results: DeepgramResults) => void;
  /** The stream ended: `code` 1000 after CloseStream, anything else is a failure (its reason). */
  onClose: (code: number, reason: string) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One live connection to a Deepgram-protocol server: `wss://<host>/v1/listen` (ws:// for an http
 * base URL) with `encoding=linear16&sample_rate=16000&channels=1&interim_results=true`, the
 * model, language and endpointing, and `Authorization: Token <key>`. Audio goes as binary frames;
 * `finish()` sends `CloseStream` (the server flushes its last results and closes with 1000).
 * A tenant's address is checked by the egress policy: a literal address before the handshake, a
 * name through the policy's `lookup` (the socket goes to the checked address).
 */
export class DeepgramLive {
  private constructor(private readonly ws: WebSocket) {}

  static async connect(
    target: UpstreamTarget,
    options: DeepgramListenOptions,
    handlers: DeepgramHandlers,
  ): Promise<DeepgramLive> {
    const url = listenUrl(target, options);
    target.egress?.assertCallable(url);
    const ws = new WebSocket(url, {
      headers: target.apiKey ? { authorization: `Token ${target.apiKey}` } : {},
      handshakeTimeout: CONNECT_TIMEOUT_MS,
      maxPayload: 1_048_576,
      ...(target.egress ? { lookup: target.egress.lookup } : {}),
    });
    return new Promise<DeepgramLive>((resolve, reject) => {
      ws.once('unexpected-response', (_req: ClientRequest, res: IncomingMessage) => {
        res.resume();
        const status = res.statusCode ?? 0;
        ws.terminate();
        reject(
          status === 401 || status === 403
            ? new DomainException(
                ErrorCode.SttUpstreamAuthFailed,
                `The streaming upstream refused the key (HTTP ${status}): check its API key`,
              )
            : new DomainException(
                ErrorCode.SttUpstreamUnavailable,
                `The streaming upstream refused the session (HTTP ${status})`,
              ),
        );
      });
      ws.once('error', (error: Error) => {
        const cause = (error as { cause?: unknown }).cause;
        reject(
          error instanceof DomainException
            ? error
            : cause instanceof DomainException
              ? cause
              : new DomainException(
                  ErrorCode.SttUpstreamUnavailable,
                  `The streaming upstream could not be reached: ${error.message}`,
                ),
        );
      });
      ws.once('open', () => {
        ws.removeAllListeners('error');
        ws.on('error', () => undefined); // a later failure ends in 'close'
        ws.on('message', (data: Buffer, isBinary) => {
          if (isBinary) return;
          let parsed: unknown;
          try {
            parsed = JSON.parse(data.toString('utf8'));
          } catch {
            return;
          }
          const results = resultsSchema.safeParse(parsed);
          if (results.success) handlers.onResults(results.data);
        });
        ws.on('close', (code: number, reason: Buffer) => handlers.onClose(code, reason.toString('utf8')));
        resolve(new DeepgramLive(ws));
      });
    });
  }

  audio(pcm: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(pcm, { binary: true });
  }

  /** `CloseStream`: the server sends what is left and closes. */
  finish(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'CloseStream' }));
  }

  /** Drops the connection now (an aborted session: nothing more is wanted). */
  terminate(): void {
    this.ws.terminate();
  }
}

function listenUrl(target: UpstreamTarget, options: DeepgramListenOptions): URL {
  const url = new URL(`${target.baseUrl.replace(/^http/, 'ws')}/v1/listen`);
  const query: Record<string, string> = {
    model: target.model,
    encoding: 'linear16',
    sample_rate: '16000',
    channels: '1',
    interim_results: 'true',
    punctuate: 'true',
    endpointing: options.endpointingMs === null ? 'false' : String(options.endpointingMs),
  };
  if (options.language) query['language'] = options.language;
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}
