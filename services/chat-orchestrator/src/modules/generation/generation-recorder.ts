import { Inject, Injectable } from '@nestjs/common';
import { OutboxRelay, OutboxWriter, outboxEntry } from '@parley/bus';
import { ChatMessageCompletedV1, type ChatUsage, UsageRecordedV1 } from '@parley/contracts';
import { LOGGER, type Logger } from '@parley/observability';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { randomUUID } from 'node:crypto';
import { TokenCounter } from '../accounting/token-counter';
import { UsagePricer } from '../accounting/usage-pricer';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { toMessageView, type MessageView } from '../conversations/message.view';
import { MessagesRepository } from '../conversations/messages.repository';
import type { ProviderTarget } from '../providers/llm-provider';
import { ChatLimits } from '../quota/chat-limits';
import { TokenUsageStore } from '../quota/token-usage.store';
import { promptTexts } from './context-window';
import type { PreparedGeneration } from './generation-preparer';

/** How a generation ended, as the runner saw it. */
export interface GenerationEnding {
  status: 'complete' | 'stopped' | 'failed';
  content: string;
  /** The target of the last attempt, and the model the provider named (else the target's). */
  target: ProviderTarget;
  model: string;
  /** A provider answered (its `start` came): its prompt was read, whatever happened next. */
  reached: boolean;
  finishReason: string | null;
  reported: { inputTokens?: number; outputTokens?: number };
  error: { code: string; message: string } | null;
  firstTokenMs: number | null;
  durationMs: number;
}

export interface RecordedGeneration {
  assistantMessage: MessageView | null;
  usage: ChatUsage;
}

const ATTEMPTS = 3;

/**
 * Stores the end of a generation in ONE tenant transaction: the answer (content, status, tokens as
 * reported or estimated, cost, timings), the conversation's counters, and `chat.message-completed.v1`
 * plus `usage.recorded.v1` in the transactional outbox, so each is published once per answer even
 * when Kafka is down at that moment. Then the tokens go onto the month's Redis counter, and the
 * answer's budget reservation (its worst case, taken at admission) is settled to its real cost,
 * which billing's gate sync moves to the spend once the ledger holds it.
 */
@Injectable()
export class GenerationRecorder {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly usageStore: TokenUsageStore,
    private readonly tokens: TokenCounter,
    private readonly pricer: UsagePricer,
    private readonly limits: ChatLimits,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores the text so far of an answer still streaming (best effort: the end is what counts). */
  async checkpoint(generation: PreparedGeneration, content: string): Promise<void> {
    try {
      await TenantContext.run(generation.command.tenantId, () =>
        this.db.run((scope) => this.messages.checkpoint(scope, generation.assistantMessageId, content)),
      );
    } catch (error) {
      this.logger.debug({ err: error }, 'An answer checkpoint was not stored; the next one will be');
    }
  }

  async record(generation: PreparedGeneration, ending: GenerationEnding): Promise<RecordedGeneration> {
    const usage = this.usageOf(generation, ending);
    const { tenantId } = generation.command;
    let stored: { row: MessageView | null; emitted: boolean } | undefined;
    for (let attempt = 1; stored === undefined; attempt++) {
      try {
        stored = await TenantContext.run(tenantId, () => this.store(generation, ending, usage));
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        this.logger.warn({ err: error, attempt }, 'Storing the end of an answer failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    await this.limits.settle(tenantId, generation.assistantMessageId, usage.costMicros);
    if (stored.emitted) {
      void this.relay
        .flush()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox flush failed; the relay retries'));
      await this.usageStore
        .add(tenantId, usage.promptTokens + usage.completionTokens)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Month token counter not updated; it is rebuilt'));
    }
    return { assistantMessage: stored.row, usage };
  }

  private async store(
    generation: PreparedGeneration,
    ending: GenerationEnding,
    usage: ChatUsage,
  ): Promise<{ row: MessageView | null; emitted: boolean }> {
    const { command, assistantMessageId } = generation;
    return this.db.run(async (scope) => {
      const row = await this.messages.complete(scope, {
        id: assistantMessageId,
        content: ending.content,
        status: ending.status,
        provider: ending.target.label,
        model: ending.model,
        finishReason: ending.finishReason,
        promptTokens: usage.promptTokens,
        completionTokens: usage.completionTokens,
        usageEstimated: usage.estimated,
        costMicros: usage.costMicros,
        priceTableVersion: this.pricer.version,
        error: ending.error,
        firstTokenMs: ending.firstTokenMs,
        durationMs: ending.durationMs,
      });
      if (row) {
        await this.conversations.recordExchange(scope, command.conversationId, 2);
      } else if (await this.messages.find(scope, assistantMessageId)) {
        return { row: null, emitted: false }; // stored by an earlier attempt whose commit we did not see
      }
      // (No row at all: the conversation was deleted meanwhile. The tokens were spent: still metered.)
      const completedAt = new Date().toISOString();
      const who = { userId: command.principal.userId, apiKeyId: command.principal.apiKeyId };
      await this.outbox.addAll(scope, [
        outboxEntry(ChatMessageCompletedV1, {
          tenantId: command.tenantId,
          conversationId: command.conversationId,
          messageId: assistantMessageId,
          ...who,
          status: ending.status,
          provider: ending.target.label,
          model: ending.model,
          skill: generation.skill,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          usageEstimated: usage.estimated,
          costMicros: usage.costMicros,
          priceTableVersion: this.pricer.version,
          firstTokenMs: ending.firstTokenMs,
          durationMs: ending.durationMs,
          completedAt,
        }),
        outboxEntry(UsageRecordedV1, {
          usageId: randomUUID(),
          tenantId: command.tenantId,
          ...who,
          kind: 'chat_tokens',
          sourceId: assistantMessageId,
          provider: ending.target.label,
          model: ending.model,
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          quantity: 0,
          estimated: usage.estimated,
          costMicros: usage.costMicros,
          priceTableVersion: this.pricer.version,
          recordedAt: completedAt,
        }),
      ]);
      return { row: row ? toMessageView(row) : null, emitted: true };
    });
  }

  /**
   * Tokens as the provider reported them; a count it did not report is estimated with the
   * tokenizer (`estimated`). No provider reached: nothing was used.
   */
  private usageOf(generation: PreparedGeneration, ending: GenerationEnding): ChatUsage {
    const { inputTokens, outputTokens } = ending.reported;
    if (!ending.reached && inputTokens === undefined && outputTokens === undefined) {
      return { promptTokens: 0, completionTokens: 0, estimated: false, costMicros: 0 };
    }
    const promptTokens =
      inputTokens ?? promptTexts(generation.request).reduce((sum, text) => sum + this.tokens.count(text), 0);
    const completionTokens = outputTokens ?? this.tokens.count(ending.content);
    const { costMicros } = this.pricer.price(
      ending.target.kind,
      [ending.model, ending.target.model],
      promptTokens,
      completionTokens,
    );
    return {
      promptTokens,
      completionTokens,
      estimated: inputTokens === undefined || outputTokens === undefined,
      costMicros,
    };
  }
}
