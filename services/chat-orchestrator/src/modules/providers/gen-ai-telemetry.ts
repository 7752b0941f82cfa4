import {
  ATTR_TENANT_ID,
  failSpan,
  RequestContext,
  SpanKind,
  startSpan,
  withSpan,
  type GenAiMetrics,
  type Span,
} from '@parley/observability';
import type { CompletionRequest, ProviderError, ProviderEvent, ProviderTarget } from './llm-provider';

/** What a model call's telemetry may record beyond counts and timings. */
export interface GenAiCallOptions {
  /** The tenant opted in (flag `gen_ai_trace_content`): the prompt and the answer go on the span. */
  recordContent: boolean;
}

/** Labels of the gen_ai metrics: the model by name only for the operator's own targets (bounded). */
function metricLabels(target: ProviderTarget) {
  return {
    gen_ai_operation_name: 'chat',
    gen_ai_provider_name: target.kind,
    gen_ai_request_model: target.label.startsWith('global:') ? target.model : 'tenant',
  };
}

/**
 * One model call (one attempt on one target) under the OpenTelemetry GenAI conventions: a client
 * span `chat <model>` with `gen_ai.operation.name`, `gen_ai.provider.name`, `gen_ai.request.model`,
 * `gen_ai.response.model`, `gen_ai.usage.input_tokens` / `output_tokens`, the time to the first
 * chunk (`gen_ai.response.time_to_first_chunk`, seconds, and a `gen_ai.first_chunk` event) and the
 * tenant id; the provider's HTTP request is its child. The prompt (`gen_ai.input.messages`,
 * `gen_ai.system_instructions`) and the answer (`gen_ai.output.messages`) only when the tenant
 * opted in. The same call feeds the gen_ai_client_* histograms.
 */
export class GenAiCall {
  private readonly span: Span;
  private readonly started = performance.now();
  private firstChunkAt: number | null = null;
  private inputTokens: number | undefined;
  private outputTokens: number | undefined;
  private finishReason: string | undefined;
  private answer = '';
  private ended = false;

  constructor(
    private readonly target: ProviderTarget,
    private readonly request: CompletionRequest,
    private readonly options: GenAiCallOptions,
    private readonly metrics: GenAiMetrics | null,
    attempt: number,
  ) {
    const tenantId = RequestContext.current()?.tenantId;
    this.span = startSpan(`chat ${target.model}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': target.kind,
        'gen_ai.request.model': target.model,
        'gen_ai.request.max_tokens': request.maxTokens,
        ...(request.temperature !== undefined ? { 'gen_ai.request.temperature': request.temperature } : {}),
        'parley.provider.label': target.label,
        'parley.provider.attempt': attempt,
        ...(tenantId ? { [ATTR_TENANT_ID]: tenantId } : {}),
      },
    }).span;
    if (options.recordContent) {
      if (request.system)
        this.span.setAttribute('gen_ai.system_instructions', JSON.stringify([textPart(request.system)]));
      this.span.setAttribute(
        'gen_ai.input.messages',
        JSON.stringify(request.messages.map((m) => ({ role: m.role, parts: [textPart(m.content)] }))),
      );
    }
  }

  /** Runs a step of the call (an iterator's `next()`) with the call's span active. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return withSpan(this.span, fn);
  }

  observe(event: ProviderEvent): void {
    switch (event.type) {
      case 'start':
        this.span.setAttribute('gen_ai.response.model', event.model);
        if (event.providerMessageId) this.span.setAttribute('gen_ai.response.id', event.providerMessageId);
        return;
      case 'delta':
        if (this.firstChunkAt === null) {
          this.firstChunkAt = performance.now();
          const seconds = (this.firstChunkAt - this.started) / 1000;
          this.span.setAttribute('gen_ai.response.time_to_first_chunk', seconds);
          this.span.addEvent('gen_ai.first_chunk');
          this.metrics?.timeToFirstChunk.observe(metricLabels(this.target), seconds);
        }
        if (this.options.recordContent) this.answer += event.text;
        return;
      case 'usage':
        if (event.inputTokens !== undefined) this.inputTokens = event.inputTokens;
        if (event.outputTokens !== undefined) this.outputTokens = event.outputTokens;
        return;
      case 'finish':
        this.finishReason = event.reason;
        return;
    }
  }

  /** Ends the call: `error` null for a success; an abort (the client left) is neither. */
  end(error: ProviderError | null, aborted = false): void {
    if (this.ended) return;
    this.ended = true;
    const labels = metricLabels(this.target);
    if (this.inputTokens !== undefined) {
      this.span.setAttribute('gen_ai.usage.input_tokens', this.inputTokens);
      this.metrics?.tokenUsage.observe({ ...labels, gen_ai_token_type: 'input' }, this.inputTokens);
    }
    if (this.outputTokens !== undefined) {
      this.span.setAttribute('gen_ai.usage.output_tokens', this.outputTokens);
      this.metrics?.tokenUsage.observe({ ...labels, gen_ai_token_type: 'output' }, this.outputTokens);
    }
    if (this.finishReason) this.span.setAttribute('gen_ai.response.finish_reasons', [this.finishReason]);
    if (this.options.recordContent && this.firstChunkAt !== null) {
      this.span.setAttribute(
        'gen_ai.output.messages',
        JSON.stringify([
          { role: 'assistant', parts: [textPart(this.answer)], finish_reason: this.finishReason ?? null },
        ]),
      );
    }
    const errorType = error ? error.kind : aborted ? 'cancelled' : '';
    if (error) {
      this.span.setAttribute('error.type', error.kind);
      failSpan(this.span, error);
    } else if (aborted) {
      this.span.setAttribute('error.type', 'cancelled');
    }
    this.metrics?.operationDuration.observe(
      { ...labels, error_type: errorType },
      (performance.now() - this.started) / 1000,
    );
    this.span.end();
  }
}

function textPart(content: string) {
  return { type: 'text', content };
}
