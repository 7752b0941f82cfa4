import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { ErrorCode, GEN_AI_TRACE_CONTENT_FLAG } from '@parley/contracts';
import { LOGGER, tracingActive, type Logger } from '@parley/observability';
import { FeatureFlagsReader } from '@parley/tenancy';
import type { MessageView } from '../conversations/message.view';
import { ProviderChain } from '../providers/provider-chain';
import { AnswerStream } from './answer-stream';
import { ChatMetrics } from './chat-metrics';
import type { PreparedGeneration } from './generation-preparer';
import { GenerationRecorder, type RecordedGeneration } from './generation-recorder';
import type { GenerationSink } from './generation-sink';
import { endingOf, type Failure } from './provider-failure';

/**
 * How often the text of an answer still streaming is stored: a client that lost its stream (a
 * dropped connection, another tab, a reload) reads the stored message and sees it grow at this pace.
 */
export const ANSWER_CHECKPOINT_MS = 1000;

/** What the client gets once an answer ended (the JSON mode's answer). */
export interface GenerationResult {
  status: 'complete' | 'stopped' | 'failed';
  userMessage: MessageView;
  assistantMessage: MessageView | null;
  error: Failure | null;
  /** A failed answer kept the text it had. */
  partial: boolean;
}

/**
 * Runs an accepted generation: opens the stream, sends the provider chain's events as they come
 * (storing the text so far every ANSWER_CHECKPOINT_MS),
 * aborts the upstream request the moment the client goes away, a stop request arrives (any
 * replica) or CHAT_GENERATION_MAX_MS passes, then stores the end (GenerationRecorder), sends the
 * final event and releases the conversation.
 */
@Injectable()
export class GenerationRunner {
  private readonly generationMaxMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly chain: ProviderChain,
    private readonly recorder: GenerationRecorder,
    private readonly metrics: ChatMetrics,
    private readonly flags: FeatureFlagsReader,
  ) {
    this.generationMaxMs = config.chat?.generationMaxMs ?? 600_000;
  }

  async run(generation: PreparedGeneration, sink: GenerationSink, clientGone: AbortSignal): Promise<GenerationResult> {
    const { active, command } = generation;
    try {
      sink.open();
    } catch {
      active.abort('client-gone'); // nobody to stream to: the answer is stored as stopped
    }
    const onGone = () => active.abort('client-gone');
    if (clientGone.aborted) onGone();
    else clientGone.addEventListener('abort', onGone, { once: true });
    const timer = setTimeout(() => active.abort('timeout'), this.generationMaxMs);
    this.metrics.inflightStreams.inc();
    const started = performance.now();
    const stream = new AnswerStream(generation, sink, {
      onFirstToken: (at) => this.metrics.timeToFirstToken.observe((at - command.receivedAt) / 1000),
      onRetry: (event) =>
        this.logger.warn(
          {
            provider: event.target.label,
            attempt: event.attempt,
            kind: event.error?.kind,
            status: event.error?.options.status,
            providerCode: event.error?.options.providerCode,
          },
          'Provider attempt failed; retrying or falling back',
        ),
    });
    let failure: unknown = null;
    let stored = '';
    let checkpointing: Promise<void> = Promise.resolve();
    const checkpoints = setInterval(() => {
      const text = stream.text;
      if (text === stored) return;
      stored = text;
      checkpointing = checkpointing.then(() => this.recorder.checkpoint(generation, text));
    }, ANSWER_CHECKPOINT_MS);
    const telemetry = { recordContent: await this.tracesContent(command.tenantId) };
    try {
      const { signal } = active.controller;
      for await (const event of this.chain.stream(generation.targets, generation.request, signal, telemetry)) {
        stream.apply(event);
      }
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
      clearInterval(checkpoints);
      clientGone.removeEventListener('abort', onGone);
      this.metrics.inflightStreams.dec();
    }
    await checkpointing; // the end is stored after the last checkpoint, never before it
    try {
      return await this.end(generation, stream, failure, started);
    } finally {
      // Released before the stream ends: a client may send its next message the moment it sees the end.
      await generation.lock.release();
      active.finish();
      sink.close();
    }
  }

  private async end(
    generation: PreparedGeneration,
    stream: AnswerStream,
    failure: unknown,
    started: number,
  ): Promise<GenerationResult> {
    const { active, command } = generation;
    const ending = endingOf(failure, active.reason, this.generationMaxMs);
    if (ending.unexpected) this.logger.error({ err: failure }, 'Generation failed unexpectedly');
    const now = performance.now();
    let recorded: RecordedGeneration;
    try {
      recorded = await this.recorder.record(generation, {
        status: ending.status,
        content: stream.text,
        target: stream.target,
        model: stream.modelName,
        reached: stream.reached,
        finishReason: ending.status === 'complete' ? stream.finishReason : null,
        reported: stream.reported,
        error: ending.error,
        firstTokenMs: stream.firstTokenAt === null ? null : Math.round(stream.firstTokenAt - command.receivedAt),
        durationMs: Math.round(now - command.receivedAt),
      });
    } catch (error) {
      this.logger.error({ err: error }, 'The end of an answer could not be stored');
      const lost = { code: ErrorCode.ServiceUnavailable, message: 'The answer could not be stored; ask again' };
      if (active.reason !== 'client-gone') stream.failed(lost);
      this.metrics.generations.inc({ outcome: 'failed' });
      return {
        status: 'failed',
        userMessage: generation.userMessage,
        assistantMessage: null,
        error: lost,
        partial: false,
      };
    }
    const { usage } = recorded;
    if (active.reason !== 'client-gone') {
      if (ending.status === 'failed' && ending.error) stream.failed(ending.error);
      else if (ending.status !== 'failed') stream.completed(ending.status, usage);
    }
    this.metrics.generations.inc({ outcome: ending.status });
    this.metrics.tokens.inc({ kind: 'prompt' }, usage.promptTokens);
    this.metrics.tokens.inc({ kind: 'completion' }, usage.completionTokens);
    this.logger.info(
      {
        conversationId: command.conversationId,
        assistantMessageId: generation.assistantMessageId,
        provider: stream.target.label,
        model: stream.modelName,
        status: ending.status,
        stopReason: active.reason,
        errorCode: ending.error?.code,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        usageEstimated: usage.estimated,
        costMicros: usage.costMicros,
        droppedTurns: generation.droppedTurns,
        preflightMs: Math.round(generation.preflightMs * 100) / 100,
        exchangeMs: Math.round(generation.exchangeMs * 100) / 100,
        firstTokenMs:
          stream.firstTokenAt === null ? null : Math.round((stream.firstTokenAt - command.receivedAt) * 100) / 100,
        streamMs: Math.round(now - started),
      },
      'Answer ended',
    );
    return {
      status: ending.status,
      userMessage: generation.userMessage,
      assistantMessage: recorded.assistantMessage,
      error: ending.error,
      partial: ending.status === 'failed' && stream.text.length > 0,
    };
  }

  /**
   * Whether this tenant opted in to prompts and answers on its model-call spans (flag
   * GEN_AI_TRACE_CONTENT_FLAG, off by default). Read only while tracing is on (flags are cached for
   * seconds); an unreadable flag counts as off.
   */
  private async tracesContent(tenantId: string): Promise<boolean> {
    if (!tracingActive()) return false;
    return this.flags.isEnabled(tenantId, GEN_AI_TRACE_CONTENT_FLAG).catch(() => false);
  }
}
