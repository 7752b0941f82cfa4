import type { ServerResponse } from 'node:http';
import { disconnect, pause, playStream, sendJson, writeSse, type SimExchange } from './sim-playback';

/** Anthropic Messages API, as documented: https://docs.anthropic.com/en/api/messages (and /messages-streaming, /errors). */

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

export function anthropicErrorBody(status: number, message?: string): Record<string, unknown> {
  const [type, text] = ERROR_TYPES[status] ?? (status >= 500 ? ERROR_TYPES[500]! : ERROR_TYPES[400]!);
  return { type: 'error', error: { type, message: message ?? text } };
}

export function sendAnthropicError(
  res: ServerResponse,
  status: number,
  requestId: string,
  message?: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { ...anthropicErrorBody(status, message), request_id: requestId },
    { 'request-id': requestId, ...headers },
  );
}

function stopReason(exchange: SimExchange): string {
  return exchange.plan.truncated ? 'max_tokens' : 'end_turn';
}

function model(exchange: SimExchange): string {
  return typeof exchange.body.model === 'string' ? exchange.body.model : 'unknown';
}

export async function answerAnthropic(exchange: SimExchange): Promise<void> {
  const { res, out, plan, scenario, id } = exchange;
  const omitUsage = scenario?.omitUsage === true;
  if (!exchange.record.stream) {
    await pause(exchange.timing.firstTokenDelayMs, exchange.gone);
    if (exchange.gone.aborted) return;
    if (scenario?.disconnectAfterChunks !== undefined) return disconnect(exchange);
    if (scenario?.errorAfterChunks !== undefined) return sendAnthropicError(res, 500, `req_${id}`);
    return sendJson(
      res,
      200,
      {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model: model(exchange),
        content: [{ type: 'text', text: plan.text }],
        stop_reason: stopReason(exchange),
        stop_sequence: null,
        ...(omitUsage ? {} : { usage: { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens } }),
      },
      { 'request-id': `req_${id}` },
    );
  }
  await playStream(exchange, {
    open() {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'request-id': `req_${id}`,
      });
      const message = {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        model: model(exchange),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        ...(omitUsage ? {} : { usage: { input_tokens: plan.inputTokens, output_tokens: 1 } }),
      };
      writeSse(out, 'message_start', { type: 'message_start', message });
      writeSse(out, 'content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      });
      writeSse(out, 'ping', { type: 'ping' });
    },
    text(chunk) {
      writeSse(out, 'content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: chunk },
      });
    },
    fail() {
      writeSse(out, 'error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      out.end();
    },
    close() {
      writeSse(out, 'content_block_stop', { type: 'content_block_stop', index: 0 });
      writeSse(out, 'message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason(exchange), stop_sequence: null },
        ...(omitUsage ? {} : { usage: { output_tokens: plan.outputTokens } }),
      });
      writeSse(out, 'message_stop', { type: 'message_stop' });
      out.end();
    },
  });
}

export function anthropicModels(models: string[]): Record<string, unknown> {
  const data = models.map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2025-01-01T00:00:00Z',
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
