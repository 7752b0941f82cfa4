import type { ChatStreamEvent } from '@parley/contracts';
import type { ChainEvent } from '../providers/provider-chain';
import type { FinishReason, ProviderTarget } from '../providers/llm-provider';
import type { GenerationSink } from './generation-sink';
import type { PreparedGeneration } from './generation-preparer';

/**
 * One answer's events as they go to the client, numbered without gaps: `message.started` (when a
 * provider starts answering, or just before the end if none did), a `token` per text delta, and
 * the final `message.completed` or `error`. It also keeps what the end is stored with.
 */
export class AnswerStream {
  private seq = 0;
  private index = 0;
  private announced = false;
  text = '';
  target: ProviderTarget;
  model: string | null = null;
  /** A provider's `start` came: it read the prompt. */
  reached = false;
  finishReason: FinishReason | null = null;
  readonly reported: { inputTokens?: number; outputTokens?: number } = {};
  /** `performance.now()` of the first token sent. */
  firstTokenAt: number | null = null;

  constructor(
    private readonly generation: PreparedGeneration,
    private readonly sink: GenerationSink,
    private readonly hooks: { onFirstToken(at: number): void; onRetry(event: ChainEvent & { type: 'attempt' }): void },
  ) {
    const first = generation.targets[0];
    if (!first) throw new Error('A generation needs at least one provider target');
    this.target = first;
  }

  get modelName(): string {
    return this.model ?? this.target.model;
  }

  apply(event: ChainEvent): void {
    switch (event.type) {
      case 'attempt':
        this.target = event.target;
        if (event.error) this.hooks.onRetry(event);
        return;
      case 'start':
        this.reached = true;
        this.model = event.model || null;
        this.announce();
        return;
      case 'delta':
        this.announce();
        if (event.text.length === 0) return;
        if (this.firstTokenAt === null) {
          this.firstTokenAt = performance.now();
          this.hooks.onFirstToken(this.firstTokenAt);
        }
        this.text += event.text;
        this.send({ type: 'token', ...this.ids(), seq: this.seq++, index: this.index++, text: event.text });
        return;
      case 'usage':
        if (event.inputTokens !== undefined) this.reported.inputTokens = event.inputTokens;
        if (event.outputTokens !== undefined) this.reported.outputTokens = event.outputTokens;
        return;
      case 'finish':
        this.finishReason = event.reason;
        return;
    }
  }

  /** `message.started`, once, before anything else of this answer. */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    const { command, userMessage, skill } = this.generation;
    this.send({
      type: 'message.started',
      ...this.ids(),
      seq: this.seq++,
      userMessageId: userMessage.id,
      provider: this.target.label,
      model: this.modelName,
      skill,
      requestId: command.requestId,
    });
  }

  completed(
    status: 'complete' | 'stopped',
    usage: { promptTokens: number; completionTokens: number; estimated: boolean; costMicros: number },
  ): void {
    this.announce();
    this.send({
      type: 'message.completed',
      ...this.ids(),
      seq: this.seq++,
      status,
      finishReason: status === 'complete' ? this.finishReason : null,
      usage,
    });
  }

  failed(error: { code: string; message: string }): void {
    this.announce();
    this.send({
      type: 'error',
      ...this.ids(),
      seq: this.seq++,
      code: error.code,
      message: error.message,
      requestId: this.generation.command.requestId,
      partial: this.text.length > 0,
    });
  }

  private ids() {
    return { conversationId: this.generation.command.conversationId, messageId: this.generation.assistantMessageId };
  }

  private send(event: ChatStreamEvent): void {
    this.sink.send(event);
  }
}
