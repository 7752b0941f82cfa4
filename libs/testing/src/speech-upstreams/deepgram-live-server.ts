import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { freePort } from '../private-postgres';

/** What one live connection sent: its query, key, audio and control messages. */
export interface DeepgramSession {
  query: Record<string, string>;
  authorization: string | null;
  audioBytes: number;
  /** The JSON messages received, by type (`KeepAlive`, `Finalize`, `CloseStream`). */
  controls: string[];
  /** How it ended: the close code we sent, or `client` when the client went first. */
  closedBy: number | 'client' | null;
}

export interface DeepgramLiveServerOptions {
  /** The key clients must send as `Authorization: Token <key>`. */
  apiKey: string;
  /** The transcript of each utterance, in order (then the script starts again). */
  script: string[];
  /** Close the stream with 1011 after this many bytes of audio (a failing upstream). */
  failAfterBytes?: number;
}

const SAMPLE_RATE = 16_000;
const CHUNK_SECONDS = 0.02;
const CHUNK_BYTES = SAMPLE_RATE * 2 * CHUNK_SECONDS;
/** A 20 ms chunk louder than this RMS is speech. */
const SPEECH_RMS = 500;
const INTERIM_EVERY_SECONDS = 0.5;
/** A segment is made final (`is_final`, not `speech_final`) after this long without an endpoint. */
const SEGMENT_MAX_SECONDS = 3;
const WORDS_PER_SECOND = 2.5;
const ENCODINGS = new Set([
  'linear16',
  'linear32',
  'flac',
  'mulaw',
  'alaw',
  'amr-nb',
  'amr-wb',
  'opus',
  'speex',
  'g729',
]);

/**
 * A local server speaking Deepgram's live streaming protocol (`wss://api.deepgram.com/v1/listen`):
 * the handshake checks `Authorization: Token <key>` (401 `INVALID_AUTH` otherwise) and the query
 * (`encoding`, `sample_rate` required with it, `channels`, `interim_results`, `endpointing` ms or
 * false; 400 otherwise); binary frames are linear16 audio, text frames `KeepAlive`, `Finalize`,
 * `CloseStream` (anything else closes with 1008, as Deepgram does). It listens to the audio: loud
 * 20 ms chunks are speech, and silence as long as `endpointing` ends an utterance. While speech goes
 * on it sends `Results` with `is_final: false` every 0.5 s of audio, words of the scripted
 * transcript in proportion to the speech so far; a segment over 3 s is made final (`is_final`,
 * not `speech_final`); the endpoint sends the rest with `is_final` and `speech_final`. `Finalize`
 * flushes (`from_finalize`); `CloseStream` flushes, sends `Metadata` and closes with 1000. Times are
 * audio times, never the wall clock.
 */
export class DeepgramLiveServer {
  readonly sessions: DeepgramSession[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: DeepgramLiveServerOptions,
  ) {}

  /** The base URL clients configure (https form; the client speaks wss/ws to it). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: DeepgramLiveServerOptions): Promise<DeepgramLiveServer> {
    const port = await freePort();
    // Plain HTTP, as Deepgram's REST API: `GET /v1/projects` with the key lists its projects; a wrong key is 401.
    const server = createServer((req, res) => {
      const json = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Token ${options.apiKey}`) {
        return json(401, { err_code: 'INVALID_AUTH', err_msg: 'Invalid credentials.' });
      }
      if (req.method === 'GET' && req.url === '/v1/projects') {
        return json(200, { projects: [{ project_id: 'parley-test', name: 'Parley test' }] });
      }
      json(426, { err_code: 'UPGRADE_REQUIRED', err_msg: 'Use a WebSocket' });
    });
    const instance = new DeepgramLiveServer(server, port, options);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => instance.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return instance;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://deepgram');
    if (url.pathname !== '/v1/listen') return refuse(socket, 404, 'NOT_FOUND', `No route ${url.pathname}`);
    const authorization = req.headers.authorization ?? null;
    if (authorization !== `Token ${this.options.apiKey}`) {
      return refuse(socket, 401, 'INVALID_AUTH', 'Invalid credentials.');
    }
    const query = Object.fromEntries(url.searchParams.entries());
    const problem = queryProblem(query);
    if (problem) return refuse(socket, 400, 'Bad Request', problem);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, query, authorization));
  }

  private serve(ws: WebSocket, query: Record<string, string>, authorization: string): void {
    const session: DeepgramSession = { query, authorization, audioBytes: 0, controls: [], closedBy: null };
    this.sessions.push(session);
    const listener = new Listener(query, this.options.script, (message) => ws.send(JSON.stringify(message)));
    const close = (code: number, reason: string) => {
      if (session.closedBy === null) session.closedBy = code;
      ws.close(code, reason);
    };
    ws.on('close', () => {
      if (session.closedBy === null) session.closedBy = 'client';
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (session.closedBy !== null) return;
      if (isBinary) {
        session.audioBytes += data.length;
        if (this.options.failAfterBytes !== undefined && session.audioBytes > this.options.failAfterBytes) {
          return close(1011, 'NET-0001: the upstream failed');
        }
        listener.audio(data);
        return;
      }
      let type: unknown;
      try {
        type = (JSON.parse(data.toString('utf8')) as { type?: unknown }).type;
      } catch {
        type = undefined;
      }
      if (type !== 'KeepAlive' && type !== 'Finalize' && type !== 'CloseStream') {
        return close(1008, 'DATA-0000: unknown or malformed control message');
      }
      session.controls.push(type);
      if (type === 'Finalize') listener.flush(true, false);
      if (type === 'CloseStream') {
        listener.flush(false, true);
        ws.send(
          JSON.stringify({
            type: 'Metadata',
            transaction_key: 'deprecated',
            request_id: listener.requestId,
            sha256: '0'.repeat(64),
            created: new Date().toISOString(),
            duration: listener.seconds,
            channels: 1,
            models: [randomUUID()],
            model_info: {},
          }),
        );
        close(1000, '');
      }
    });
  }
}

function queryProblem(query: Record<string, string>): string | null {
  const encoding = query['encoding'];
  if (encoding !== undefined && !ENCODINGS.has(encoding)) return `Unsupported encoding: ${encoding}`;
  if (encoding !== undefined && !/^\d+$/.test(query['sample_rate'] ?? '')) {
    return 'sample_rate is required with encoding';
  }
  if (encoding !== 'linear16' || query['sample_rate'] !== String(SAMPLE_RATE)) {
    return 'this test server decodes linear16 at 16000 Hz only';
  }
  if (query['channels'] !== undefined && query['channels'] !== '1') return 'this test server takes one channel';
  for (const flag of ['interim_results', 'punctuate', 'smart_format', 'vad_events']) {
    if (query[flag] !== undefined && query[flag] !== 'true' && query[flag] !== 'false') {
      return `${flag} must be true or false`;
    }
  }
  const endpointing = query['endpointing'];
  if (endpointing !== undefined && endpointing !== 'false' && !/^\d+$/.test(endpointing)) {
    return 'endpointing must be a number of milliseconds or false';
  }
  return null;
}

/** The audio side of one connection: speech detection, the scripted words, the Results it sends. */
class Listener {
  readonly requestId = randomUUID();
  private carry: Buffer = Buffer.alloc(0);
  private time = 0;
  private utterance = 0;
  private speechStart: number | null = null;
  private segmentStart = 0;
  private wordsSent = 0;
  private lastSpeech = 0;
  private lastInterim = 0;
  private readonly endpointSeconds: number | null;
  private readonly interim: boolean;

  constructor(
    query: Record<string, string>,
    private readonly script: string[],
    private readonly send: (message: unknown) => void,
  ) {
    const endpointing = query['endpointing'];
    this.endpointSeconds = endpointing === 'false' ? null : Number(endpointing ?? 10) / 1000;
    this.interim = query['interim_results'] === 'true';
  }

  get seconds(): number {
    return round(this.time);
  }

  audio(frame: Buffer): void {
    let data = this.carry.length ? Buffer.concat([this.carry, frame]) : frame;
    while (data.length >= CHUNK_BYTES) {
      this.chunk(data.subarray(0, CHUNK_BYTES));
      data = data.subarray(CHUNK_BYTES);
    }
    this.carry = Buffer.from(data);
  }

  /** The words not yet final, as a final result (`Finalize`, `CloseStream`). */
  flush(fromFinalize: boolean, speechFinal: boolean): void {
    if (this.speechStart === null) return;
    this.final(true, speechFinal || !fromFinalize, fromFinalize);
  }

  private chunk(chunk: Buffer): void {
    let sum = 0;
    for (let i = 0; i < chunk.length; i += 2) sum += chunk.readInt16LE(i) ** 2;
    const loud = Math.sqrt(sum / (chunk.length / 2)) > SPEECH_RMS;
    this.time += CHUNK_SECONDS;
    if (loud) {
      if (this.speechStart === null) {
        this.speechStart = this.time - CHUNK_SECONDS;
        this.segmentStart = this.speechStart;
        this.lastInterim = this.time;
        this.wordsSent = 0;
      }
      this.lastSpeech = this.time;
    }
    if (this.speechStart === null) return;
    if (this.endpointSeconds !== null && !loud && this.time - this.lastSpeech >= this.endpointSeconds) {
      return this.final(true, true, false);
    }
    if (this.time - this.segmentStart >= SEGMENT_MAX_SECONDS) return this.final(false, false, false);
    if (this.interim && this.time - this.lastInterim >= INTERIM_EVERY_SECONDS) {
      this.lastInterim = this.time;
      this.results(this.words(false), false, false, false);
    }
  }

  /** The segment's words: in proportion to the speech so far, or (at the end of the utterance) all the rest. */
  private words(all: boolean): string[] {
    const line = (this.script[this.utterance % this.script.length] ?? '').split(/\s+/).filter(Boolean);
    const upTo = all
      ? line.length
      : Math.min(line.length, Math.floor((this.lastSpeech - (this.speechStart ?? 0)) * WORDS_PER_SECOND));
    return line.slice(this.wordsSent, Math.max(this.wordsSent, upTo));
  }

  private final(endOfUtterance: boolean, speechFinal: boolean, fromFinalize: boolean): void {
    const words = this.words(endOfUtterance);
    this.results(words, true, speechFinal, fromFinalize);
    this.wordsSent += words.length;
    this.segmentStart = this.time;
    if (endOfUtterance) {
      this.speechStart = null;
      this.utterance += 1;
    }
  }

  private results(words: string[], isFinal: boolean, speechFinal: boolean, fromFinalize: boolean): void {
    const transcript = words.join(' ');
    this.send({
      type: 'Results',
      channel_index: [0, 1],
      duration: round(this.time - this.segmentStart),
      start: round(this.segmentStart),
      is_final: isFinal,
      speech_final: speechFinal,
      from_finalize: fromFinalize,
      channel: {
        alternatives: [
          {
            transcript,
            confidence: transcript ? 0.98 : 0,
            words: words.map((word, i) => ({
              word,
              start: round(this.segmentStart + i * 0.4),
              end: round(this.segmentStart + i * 0.4 + 0.35),
              confidence: 0.98,
            })),
          },
        ],
      },
      metadata: {
        request_id: this.requestId,
        model_info: { name: 'test', version: '1', arch: 'test' },
        model_uuid: randomUUID(),
      },
    });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ err_code: code, err_msg: message, request_id: randomUUID() });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
