import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicModels, answerAnthropic, sendAnthropicError } from './sim-anthropic';
import { planAnswer, promptInfo } from './sim-answer';
import { answerOpenAi, openaiModels, sendOpenAiError } from './sim-openai';
import { pause, sendJson, simOut, type SimExchange } from './sim-playback';
import type { LlmSimulatorOptions, SimMatch, SimProtocol, SimRequest, SimScenario } from './sim-types';

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_MODELS = ['claude-sonnet-5-5', 'gpt-4.1-mini', 'sim-model'];

interface Rule {
  match: SimMatch;
  scenario: SimScenario;
  remaining: number;
  hits: number;
}

/** `GET`: the JSON body of the latest POST the simulator received (a test tool: nothing is real here). */
export const SIM_LAST_REQUEST_PATH = '/_sim/last-request';
/** A handle on a rule added with `when`. */
export interface SimRule {
  /** Requests the rule has answered so far. */
  readonly hits: number;
  remove(): void;
}

/**
 * A local LLM provider speaking the Anthropic Messages API (`POST /v1/messages`) and the OpenAI Chat
 * Completions API (`POST /v1/chat/completions`), streaming and not, plus `GET /v1/models`, with the
 * headers, bodies, events and errors the providers document. Tests script answers per request with
 * `when(match, scenario)`; everything else gets the default answer `Echo: <last user message>`.
 * See sim-answer.ts for how the answer is chunked and how tokens are counted.
 */
export class LlmSimulator {
  /** Every request received, in order, updated as its response goes on. */
  readonly requests: SimRequest[] = [];
  private rules: Rule[] = [];
  private readonly changes = new EventEmitter();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: LlmSimulatorOptions,
    /** The base origin, e.g. http://127.0.0.1:41234. */
    readonly url: string,
  ) {
    this.changes.setMaxListeners(0);
  }

  static async start(options: LlmSimulatorOptions = {}): Promise<LlmSimulator> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer({ keepAliveTimeout: 65_000 });
    server.on('connection', (socket) => socket.setNoDelay(true));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const sim = new LlmSimulator(server, options, `http://${host.includes(':') ? `[${host}]` : host}:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => sim.handle(req, res));
    return sim;
  }

  /** What the Anthropic SDK takes as `baseURL` (it appends `/v1/messages`). */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** What the OpenAI SDK takes as `baseURL` (it appends `/chat/completions`). */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Adds a rule; the first matching rule (in the order added) answers, else the default answer. */
  when(match: SimMatch, scenario: SimScenario): SimRule {
    const rule: Rule = { match, scenario, remaining: scenario.times ?? Infinity, hits: 0 };
    this.rules.push(rule);
    return {
      get hits() {
        return rule.hits;
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  /** Forgets rules and recorded requests. */
  reset(): void {
    this.rules = [];
    this.requests.length = 0;
  }

  /** Resolves with the first recorded request (past or future) satisfying `predicate`. */
  waitFor(predicate: (request: SimRequest) => boolean, timeoutMs = 10_000): Promise<SimRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.requests.find(predicate);
        if (!hit) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.requests.map((r) => `#${r.seq} ${r.protocol} ${r.path} status=${r.status}`).join('; ');
        reject(new Error(`LlmSimulator.waitFor: no matching request within ${timeoutMs} ms (seen: ${seen || 'none'})`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', check);
      };
      this.changes.on('change', check);
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const record: SimRequest = {
      seq: ++this.seq,
      protocol: protocolOf(path, req),
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: null,
      model: null,
      prompt: '',
      stream: false,
      status: 0,
      aborted: false,
      disconnected: false,
      completed: false,
      receivedAt: Date.now(),
      remotePort: req.socket.remotePort ?? 0,
    };
    this.requests.push(record);
    const cap = this.options.maxRecordedRequests;
    if (cap !== undefined && this.requests.length > cap) this.requests.splice(0, this.requests.length - cap);
    const gone = new AbortController();
    res.on('finish', () => {
      record.completed = true;
      this.changed();
    });
    res.on('close', () => {
      gone.abort();
      if (!res.writableFinished && !record.disconnected) {
        record.aborted = true;
        this.changed();
      }
    });
    Object.defineProperty(record, 'status', { enumerable: true, get: () => (res.headersSent ? res.statusCode : 0) });
    this.changed();
    readBody(req)
      .then((raw) => this.route(record, raw, res, gone.signal))
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error), type: 'server_error' } });
        else res.destroy();
      });
  }

  private async route(record: SimRequest, raw: Buffer | null, res: ServerResponse, gone: AbortSignal): Promise<void> {
    const id = randomBytes(12).toString('hex');
    const fail = (status: number, message?: string, headers: Record<string, string> = {}, code?: string | null) =>
      record.protocol === 'anthropic'
        ? sendAnthropicError(res, status, `req_${id}`, message, headers)
        : sendOpenAiError(res, status, `req_${id}`, message, headers, code);

    if (raw === null) return fail(413, 'Request body too large.');
    // Recorded before any check, so refused requests show what they sent.
    let body: Record<string, unknown> | null = null;
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString('utf8'));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        // answered below, after authentication
      }
    }
    const info = promptInfo(record.protocol, body);
    record.body = body;
    record.model = typeof body?.model === 'string' ? body.model : null;
    record.stream = body?.stream === true;
    record.prompt = info.prompt;
    this.changed();

    const authError = this.checkAuth(record);
    if (authError) return fail(401, authError.message, {}, authError.code);
    if (record.method === 'GET' && record.path === SIM_LAST_REQUEST_PATH) {
      // A benchmark replays the very body a platform sent (e.g. a long conversation's) straight here.
      const last = this.requests.findLast((r) => r !== record && r.method === 'POST' && r.body !== null);
      return last ? sendJson(res, 200, last.body) : fail(404, 'No request recorded yet.');
    }
    const known =
      (record.method === 'POST' && (record.path === '/v1/messages' || record.path === '/v1/chat/completions')) ||
      (record.method === 'GET' && record.path === '/v1/models');
    if (!known) return fail(404, `Not found: ${record.method} ${record.path}`);
    if (record.protocol === 'anthropic' && !record.headers['anthropic-version']) {
      return fail(400, 'anthropic-version: header is required');
    }
    if (record.path === '/v1/models') {
      const models = this.options.models ?? DEFAULT_MODELS;
      const created = Math.floor(Date.now() / 1000);
      return sendJson(
        res,
        200,
        record.protocol === 'anthropic' ? anthropicModels(models) : openaiModels(models, created),
      );
    }
    if (!body) return fail(400, 'The request body is not a valid JSON object.');
    const invalid = validate(record.protocol, body);
    if (invalid) return fail(400, invalid);

    const scenario = this.pick(record);
    const timing = {
      firstTokenDelayMs: scenario?.firstTokenDelayMs ?? this.options.firstTokenDelayMs ?? 0,
      tokenDelayMs: scenario?.tokenDelayMs ?? this.options.tokenDelayMs ?? 0,
    };
    if (scenario?.status !== undefined && scenario.status >= 400) {
      await pause(timing.firstTokenDelayMs, gone);
      if (gone.aborted) return;
      const headers: Record<string, string> = {};
      if (scenario.retryAfterSeconds !== undefined) headers['retry-after'] = String(scenario.retryAfterSeconds);
      if (scenario.retryAfterMs !== undefined) headers['retry-after-ms'] = String(scenario.retryAfterMs);
      return fail(scenario.status, undefined, headers);
    }
    const maxTokens =
      record.protocol === 'anthropic' ? body.max_tokens : (body.max_completion_tokens ?? body.max_tokens);
    const exchange: SimExchange = {
      res,
      out: simOut(res, scenario?.fragmentBytes, gone),
      record,
      body,
      scenario,
      timing,
      gone,
      id,
      created: Math.floor(Date.now() / 1000),
      plan: planAnswer({
        scenario,
        info,
        maxTokens: typeof maxTokens === 'number' ? maxTokens : null,
        defaultChunkCount: this.options.chunks,
        omitUsage: scenario?.omitUsage === true,
      }),
    };
    await (record.protocol === 'anthropic' ? answerAnthropic(exchange) : answerOpenAi(exchange));
  }

  private checkAuth(record: SimRequest): { message?: string; code?: string } | null {
    const allowed = this.options.apiKeys;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(record, 'authorization') ?? '')?.[1];
    if (record.protocol === 'anthropic') {
      // `x-api-key`, as documented; @anthropic-ai/sdk 1.x sends the key as `Authorization: Bearer`.
      const key = header(record, 'x-api-key') || bearer;
      if (!key) return { message: 'x-api-key header is required' };
      return allowed && !allowed.includes(key) ? { message: 'invalid x-api-key' } : null;
    }
    if (!bearer) return { code: 'invalid_api_key' };
    const key = bearer;
    if (allowed && !allowed.includes(key)) {
      const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}` : '****';
      return { message: `Incorrect API key provided: ${masked}.`, code: 'invalid_api_key' };
    }
    return null;
  }

  private pick(record: SimRequest): SimScenario | null {
    for (const rule of this.rules) {
      const { model, promptIncludes, protocol } = rule.match;
      if (model !== undefined && record.model !== model) continue;
      if (protocol !== undefined && record.protocol !== protocol) continue;
      if (promptIncludes !== undefined && !record.prompt.includes(promptIncludes)) continue;
      rule.hits++;
      if (--rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      return rule.scenario;
    }
    return null;
  }
}

function header(record: SimRequest, name: string): string | undefined {
  const value = record.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function protocolOf(path: string, req: IncomingMessage): SimProtocol {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path.startsWith('/v1/chat/')) return 'openai';
  return req.headers['x-api-key'] !== undefined || req.headers['anthropic-version'] !== undefined
    ? 'anthropic'
    : 'openai';
}

function validate(protocol: SimProtocol, body: Record<string, unknown>): string | null {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
  if (protocol === 'anthropic') {
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      return 'max_tokens: Field required';
    }
  }
  return null;
}

/** The body, or null when over the limit. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
