import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { freePort } from '../private-postgres';
import { readMultipart } from './multipart-reader';

/** What the server received in one transcription request. */
export interface TranscriptionCall {
  authorization: string | null;
  /** The text fields (model, language, response_format, …). */
  fields: Record<string, string>;
  file: { filename: string | null; contentType: string | null; bytes: number; seconds: number };
}

/** A forced answer for the next request: its status, JSON body and headers. */
export interface ForcedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface OpenAiTranscriptionServerOptions {
  /** The key clients must send as `Authorization: Bearer`; null: none needed (a self-hosted server). */
  apiKey: string | null;
  /** The transcript of a request (default: a fixed sentence). */
  transcript?: (call: TranscriptionCall) => string;
}

const FORMATS = new Set(['json', 'text', 'verbose_json', 'srt', 'vtt']);
const LANGUAGE_NAMES: Record<string, string> = { en: 'english', de: 'german', fr: 'french', es: 'spanish' };
const BODY_LIMIT = 25 * 1_048_576 + 64 * 1024;

/**
 * A local server speaking OpenAI's transcription wire format (`POST /v1/audio/transcriptions`):
 * a multipart form in (`file`, `model` required; `language`, `response_format`, …), JSON out
 * (`json`: `{text}`; `verbose_json`: task, language by name, duration, segments), OpenAI's error
 * bodies (`{error: {message, type, param, code}}`) for a wrong key (401, its message naming the
 * key as OpenAI's does), a bad form (400) or a forced answer (429, 5xx…). The file must be a WAV
 * whose duration it computes from the header; the transcript is scripted.
 */
export class OpenAiTranscriptionServer {
  readonly calls: TranscriptionCall[] = [];
  private readonly forced: ForcedAnswer[] = [];
  private held: Promise<void> | null = null;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly options: OpenAiTranscriptionServerOptions,
  ) {}

  /** The base URL clients configure (`…/v1`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  static async start(options: OpenAiTranscriptionServerOptions): Promise<OpenAiTranscriptionServer> {
    const port = await freePort();
    const server = createServer();
    const instance = new OpenAiTranscriptionServer(server, port, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    return instance;
  }

  /**
   * Requests are received (and counted in `calls`) but not answered until the returned function
   * is called: requests that are running, as long as a test needs them to be.
   */
  hold(): () => void {
    let release = () => undefined as void;
    this.held = new Promise<void>((resolve) => {
      release = () => {
        this.held = null;
        resolve();
      };
    });
    return release;
  }

  /** The next request gets this answer (after its key and form are checked). */
  answerNext(answer: ForcedAnswer): void {
    this.forced.push(answer);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // As OpenAI: the key is checked before the route, so any path answers 401 to a wrong key.
    const authorization = req.headers.authorization ?? null;
    if (this.options.apiKey !== null && authorization !== `Bearer ${this.options.apiKey}`) {
      const given = authorization?.replace(/^Bearer /, '') ?? '';
      return error(res, 401, `Incorrect API key provided: ${given}.`, 'invalid_request_error', 'invalid_api_key');
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'whisper-1', object: 'model', owned_by: 'system' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
      return error(res, 404, `Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error', 'unknown_url');
    }
    const body = await readBody(req);
    if (!body) return error(res, 413, 'Maximum content size limit exceeded', 'invalid_request_error', null);
    let call: TranscriptionCall;
    try {
      call = parseCall(body, req.headers['content-type'], authorization);
    } catch (reason) {
      return error(res, 400, (reason as Error).message, 'invalid_request_error', null);
    }
    this.calls.push(call);
    if (this.held) await this.held;
    const forced = this.forced.shift();
    if (forced) {
      res.writeHead(forced.status, { 'content-type': 'application/json', ...forced.headers });
      res.end(JSON.stringify(forced.body));
      return;
    }
    const text = this.options.transcript?.(call) ?? 'The quick brown fox jumps over the lazy dog.';
    const format = call.fields['response_format'] ?? 'json';
    if (format !== 'json' && format !== 'verbose_json') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(text);
      return;
    }
    const answer =
      format === 'json'
        ? { text }
        : {
            task: 'transcribe',
            language: LANGUAGE_NAMES[call.fields['language'] ?? 'en'] ?? 'english',
            duration: call.file.seconds,
            text,
            segments: [
              {
                id: 0,
                seek: 0,
                start: 0,
                end: call.file.seconds,
                text: ` ${text}`,
                tokens: [50364, 440, 50414],
                temperature: 0,
                avg_logprob: -0.2,
                compression_ratio: 1.1,
                no_speech_prob: 0.01,
              },
            ],
          };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  }
}

function parseCall(body: Buffer, contentType: string | undefined, authorization: string | null): TranscriptionCall {
  const parts = readMultipart(body, contentType);
  const fields: Record<string, string> = {};
  for (const part of parts) if (part.filename === null) fields[part.name] = part.data.toString('utf8');
  const file = parts.find((part) => part.name === 'file' && part.filename !== null);
  if (!file)
    throw new Error('1 validation error for Request\nbody -> file\n  field required (type=value_error.missing)');
  if (!fields['model']) throw new Error('you must provide a model parameter');
  if (fields['response_format'] && !FORMATS.has(fields['response_format'])) {
    throw new Error(`Invalid response_format: ${fields['response_format']}`);
  }
  return {
    authorization,
    fields,
    file: {
      filename: file.filename,
      contentType: file.contentType,
      bytes: file.data.length,
      seconds: wavSeconds(file.data),
    },
  };
}

/** The duration of a PCM WAV from its `fmt ` and `data` chunks; throws when it is not one. */
function wavSeconds(wav: Buffer): number {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('Invalid file format. Supported formats: flac, m4a, mp3, mp4, mpeg, mpga, oga, ogg, wav, webm');
  }
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = wav.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (!byteRate) throw new Error('Invalid file: no fmt chunk before data');
      return Math.round((Math.min(size, wav.length - offset - 8) / byteRate) * 1000) / 1000;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('Invalid file: no data chunk');
}

function error(res: ServerResponse, status: number, message: string, type: string, code: string | null): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: null, code } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
