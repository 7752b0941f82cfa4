import type { ServerResponse } from 'node:http';
import { disconnect, pause, playStream, sendJson, writeSse, type SimExchange } from './sim-playback';

/** OpenAI Chat Completions, as documented: https://platform.openai.com/docs/api-reference/chat (and /streaming, error codes). */

const ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
  },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Forbidden.' },
  404: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: 'The model does not exist or you do not have access to it.',
  },
  429: {
    type: 'rate_limit_exceeded',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

export function openaiErrorBody(status: number, message?: string, code?: string | null): Record<string, unknown> {
  const known = ERRORS[status] ?? (status >= 500 ? ERRORS[500]! : ERRORS[400]!);
  return {
    error: {
      message: message ?? known.message,
      type: known.type,
      param: null,
      code: code === undefined ? known.code : code,
    },
  };
}

export function sendOpenAiError(
  res: ServerResponse,
  status: number,
  requestId: string,
  message?: string,
  headers: Record<string, string> = {},
  code?: string | null,
): void {
  sendJson(res, status, openaiErrorBody(status, message, code), { 'x-request-id': requestId, ...headers });
}

function finishReason(exchange: SimExchange): string {
  return exchange.plan.truncated ? 'length' : 'stop';
}

function usage(exchange: SimExchange): Record<string, number> {
  const { inputTokens, outputTokens } = exchange.plan;
  return { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens };
}

export async function answerOpenAi(exchange: SimExchange): Promise<void> {
  const { res, out, plan, scenario, id, created } = exchange;
  const model = typeof exchange.body.model === 'string' ? exchange.body.model : 'unknown';
  const omitUsage = scenario?.omitUsage === true;
  if (!exchange.record.stream) {
    await pause(exchange.timing.firstTokenDelayMs, exchange.gone);
    if (exchange.gone.aborted) return;
    if (scenario?.disconnectAfterChunks !== undefined) return disconnect(exchange);
    if (scenario?.errorAfterChunks !== undefined) return sendOpenAiError(res, 500, `req_${id}`);
    return sendJson(
      res,
      200,
      {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: plan.text, refusal: null },
            logprobs: null,
            finish_reason: finishReason(exchange),
          },
        ],
        ...(omitUsage ? {} : { usage: usage(exchange) }),
        system_fingerprint: 'fp_simulator',
      },
      { 'x-request-id': `req_${id}` },
    );
  }
  const options = exchange.body.stream_options as { include_usage?: unknown } | undefined;
  const includeUsage = options?.include_usage === true && !omitUsage;
  // Each chunk as the API sends it; with include_usage every chunk carries `usage: null` but the last.
  const prefix = `{"id":"chatcmpl-${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(model)},"system_fingerprint":"fp_simulator",`;
  const suffix = includeUsage ? ',"usage":null}' : '}';
  const chunk = (choice: Record<string, unknown>) =>
    writeSse(out, null, `${prefix}"choices":[${JSON.stringify({ index: 0, ...choice })}]${suffix}`);
  await playStream(exchange, {
    open() {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': `req_${id}`,
      });
      chunk({ delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null });
    },
    text(text) {
      chunk({ delta: { content: text }, logprobs: null, finish_reason: null });
    },
    fail() {
      writeSse(out, null, openaiErrorBody(500));
      out.end();
    },
    close() {
      chunk({ delta: {}, logprobs: null, finish_reason: finishReason(exchange) });
      if (includeUsage) writeSse(out, null, `${prefix}"choices":[],"usage":${JSON.stringify(usage(exchange))}}`);
      writeSse(out, null, '[DONE]');
      out.end();
    },
  });
}

export function openaiModels(models: string[], created: number): Record<string, unknown> {
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'simulator' })) };
}
