import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalModel, LocalModelError, type LocalModelOptions } from './local-model';
import {
  chatCompletionRequestSchema,
  chunk,
  openAiError,
  turnsOf,
  usage,
  type ChatCompletionRequest,
  type CompletionIds,
} from './openai-wire';

export interface LocalLlmServerOptions extends LocalModelOptions {
  host?: string;
  /** 0 (default): any free port. */
  port?: number;
  /** The id announced by `/v1/models` and in every answer. */
  modelId?: string;
  /** The largest request body (default 1 MiB). */
  maxBodyBytes?: number;
}

export const LOCAL_MODEL_ID = 'gemma-3-270m-local';
/** `owned_by` of the model in `/v1/models`: marks Parley's local demo model for clients. */
export const LOCAL_MODEL_OWNER = 'parley-local-demo';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An OpenAI-compatible HTTP server (node:http) in front of a LocalModel, so the platform's OpenAI
 * adapter and the `openai` SDK use it unchanged: `POST /v1/chat/completions` (SSE when `stream`,
 * usage in a last chunk when `stream_options.include_usage`, JSON otherwise), `GET /v1/models`,
 * `GET /health`. No key is needed (it listens on loopback); one that is sent is ignored.
 */
export class LocalLlmServer {
  private constructor(
    private readonly server: Server,
    readonly model: LocalModel,
    readonly modelId: string,
    readonly host: string,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://${this.host}:${this.port}/v1`;
  }

  static async start(options: LocalLlmServerOptions): Promise<LocalLlmServer> {
    const model = await LocalModel.load(options);
    const modelId = options.modelId ?? LOCAL_MODEL_ID;
    const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    const server = createServer((req, res) => {
      void handle(req, res, model, modelId, maxBodyBytes);
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    return new LocalLlmServer(server, model, modelId, host, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.model.close();
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  model: LocalModel,
  modelId: string,
  maxBodyBytes: number,
): Promise<void> {
  try {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return json(res, 200, { status: 'ok', model: modelId });
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, {
        object: 'list',
        data: [{ id: modelId, object: 'model', created: 0, owned_by: LOCAL_MODEL_OWNER }],
      });
    }
    if (path === '/v1/chat/completions') {
      if (req.method !== 'POST') throw new HttpFailure(405, 'invalid_request_error', 'use POST');
      return await complete(res, model, modelId, await readJson(req, maxBodyBytes));
    }
    throw new HttpFailure(404, 'not_found_error', `no route ${req.method} ${path}`);
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof HttpFailure) return json(res, error.status, openAiError(error.type, error.message));
    if (error instanceof LocalModelError) {
      if (error.code === 'busy') res.setHeader('retry-after', '1');
      const status = error.code === 'context_length_exceeded' ? 400 : 503;
      return json(
        res,
        status,
        openAiError(status === 400 ? 'invalid_request_error' : 'server_error', error.message, error.code),
      );
    }
    json(res, 500, openAiError('server_error', error instanceof Error ? error.message : String(error)));
  }
}

async function readJson(req: IncomingMessage, maxBodyBytes: number): Promise<ChatCompletionRequest> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > maxBodyBytes) throw new HttpFailure(413, 'invalid_request_error', `body over ${maxBodyBytes} bytes`);
    parts.push(part);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new HttpFailure(400, 'invalid_request_error', 'the body is not JSON');
  }
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpFailure(
      400,
      'invalid_request_error',
      `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

async function complete(
  res: ServerResponse,
  model: LocalModel,
  modelId: string,
  request: ChatCompletionRequest,
): Promise<void> {
  const ids: CompletionIds = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: modelId };
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const generate = (onText?: (text: string) => void) =>
    model.generate({
      turns: turnsOf(request),
      maxTokens: request.max_completion_tokens ?? request.max_tokens ?? undefined,
      temperature: request.temperature ?? undefined,
      signal: abort.signal,
      onText,
    });
  if (!request.stream) {
    const result = await generate();
    return json(res, 200, {
      id: ids.id,
      object: 'chat.completion',
      created: ids.created,
      model: modelId,
      choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: result.finishReason }],
      usage: usage(result.promptTokens, result.completionTokens),
    });
  }
  let opened = false;
  const send = (data: unknown) => {
    if (!opened) {
      opened = true;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      res.write(`data: ${JSON.stringify(chunk(ids, { role: 'assistant', content: '' }))}\n\n`);
    }
    if (data !== undefined) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const result = await generate((text) => send(chunk(ids, { content: text })));
  if (result.aborted) return void res.destroy();
  send(chunk(ids, {}, result.finishReason));
  if (request.stream_options?.include_usage) {
    send({ ...chunk(ids, {}), choices: [], usage: usage(result.promptTokens, result.completionTokens) });
  }
  res.end('data: [DONE]\n\n');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
