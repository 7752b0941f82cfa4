import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@parley/config';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { TokenCounter } from '../accounting/token-counter';
import type { MessageView } from '../conversations/message.view';
import { MessagesRepository } from '../conversations/messages.repository';
import { conversationNotFound } from '../conversations/owner-command';
import { ProviderTargetsResolver } from '../provider-credentials/provider-targets.resolver';
import type { CompletionRequest, ProviderTarget } from '../providers/llm-provider';
import { ChatLimits, type Admission, type AdmissionSubject } from '../quota/chat-limits';
import { SkillResolver } from '../skills/skill-resolver';
import type { ActiveGeneration } from './active-generation';
import { fitContext } from './context-window';
import { GenerationLocks, type HeldLock } from './generation-lock';
import { GenerationRegistry } from './generation-registry';
import type { SendMessageCommand } from './usecases/send-message/send-message.command';

/** The most stored turns read back as history (the context budget usually keeps fewer). */
export const HISTORY_LIMIT = 200;

/** Everything a generation needs once accepted: its messages are stored and its lock held. */
export interface PreparedGeneration {
  command: SendMessageCommand;
  active: ActiveGeneration;
  lock: HeldLock;
  userMessage: MessageView;
  assistantMessageId: string;
  /** The skill's command (`/review-code`), if the message invoked one. */
  skill: string | null;
  targets: ProviderTarget[];
  request: CompletionRequest;
  /** Stored turns left out by the context budget. */
  droppedTurns: number;
  /** Milliseconds from the request to this point (the provider call comes next). */
  preflightMs: number;
  /** Milliseconds of the exchange statement (stores the turns, reads the history), within preflightMs. */
  exchangeMs: number;
}

/**
 * The work before the provider call, in the order of refusals: plan limits (429), the
 * conversation's generation lock (409), the skill (400 `unknown_skill`) and providers (503
 * `provider_not_configured`), then one transaction that reads the history and stores the user's
 * message with the answer (`streaming`) — or finds the conversation is not the caller's (404).
 * It sits on the time-to-first-token path: the Redis checks go out together, and the history read
 * and the stores are one statement (measured with src/testing/measure-ttft.ts).
 * A refusal after the limits gives back what was taken (the hourly request, the lock).
 */
@Injectable()
export class GenerationPreparer {
  private readonly instanceId: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDb,
    private readonly limits: ChatLimits,
    private readonly locks: GenerationLocks,
    private readonly registry: GenerationRegistry,
    private readonly skills: SkillResolver,
    private readonly providers: ProviderTargetsResolver,
    private readonly messages: MessagesRepository,
    private readonly tokens: TokenCounter,
  ) {
    this.instanceId = config.instanceId;
  }

  async prepare(command: SendMessageCommand): Promise<PreparedGeneration> {
    const { tenantId, conversationId } = command;
    const userMessageId = randomUUID();
    const assistantMessageId = randomUUID();
    const { admission, lock } = await this.admitAndLock(
      tenantId,
      { userId: command.principal.userId, apiKeyId: command.principal.apiKeyId },
      conversationId,
      assistantMessageId,
    );
    let active: ActiveGeneration | null = null;
    try {
      active = this.registry.begin(tenantId, conversationId, assistantMessageId);
      const { content, replacesMessageId } = await this.question(command);
      const prompt = await this.skills.resolve(command.principal, content);
      const targets = await this.providers.targetsFor(tenantId, command.model ?? prompt.modelOverride);
      const skill = prompt.skill?.command ?? null;
      const exchangeStarted = performance.now();
      const stored = await TenantContext.run(tenantId, () =>
        this.messages.startExchange(
          this.db,
          {
            conversationId,
            author: command.owner,
            userMessageId,
            content,
            assistantMessageId,
            skill,
            replacesMessageId,
          },
          HISTORY_LIMIT,
        ),
      );
      if (!stored) throw conversationNotFound();
      const exchangeMs = performance.now() - exchangeStarted;
      const { userAt, history } = stored;
      const context = fitContext({
        system: prompt.systemPrompt,
        history,
        prompt: prompt.userContent,
        budget: this.chat.contextBudgetTokens,
        count: (text) => this.tokens.count(text),
        countTurn: (turn) => this.tokens.countStored(turn.id, turn.content),
        bound: (text) => TokenCounter.byteBound(text),
      });
      return {
        command,
        active,
        lock,
        assistantMessageId,
        skill,
        targets,
        droppedTurns: context.dropped,
        preflightMs: performance.now() - command.receivedAt,
        exchangeMs,
        request: { system: context.system, messages: context.messages, maxTokens: this.chat.maxOutputTokens },
        userMessage: {
          id: userMessageId,
          conversationId,
          role: 'user',
          content,
          status: 'complete',
          provider: null,
          model: null,
          skill: null,
          promptTokens: 0,
          completionTokens: 0,
          usageEstimated: false,
          costMicros: 0,
          error: null,
          createdAt: userAt.toISOString(),
          completedAt: null,
        },
      };
    } catch (error) {
      active?.finish();
      await lock.release();
      await this.limits.refund(admission);
      throw error;
    }
  }

  /**
   * What to answer: the new message; or, replacing the last exchange (regenerate, edit and resend),
   * the last question's id and, when regenerating, its text. Read while the lock is held.
   */
  private async question(command: SendMessageCommand): Promise<{ content: string; replacesMessageId: string | null }> {
    if (!command.replaceLast && command.content !== null) return { content: command.content, replacesMessageId: null };
    const last = await TenantContext.run(command.tenantId, () =>
      this.db.run((scope) => this.messages.lastQuestion(scope, command.owner, command.conversationId)),
    );
    if (!last.owned) throw conversationNotFound();
    if (!last.question) {
      throw new DomainException(ErrorCode.NothingToRegenerate, 'This conversation has no question to answer again');
    }
    return { content: command.content ?? last.question.content, replacesMessageId: last.question.id };
  }

  private get chat() {
    if (!this.config.chat) throw new Error('The chat configuration is missing (chat-orchestrator only)');
    return this.config.chat;
  }

  /**
   * The plan limits (and the answer's budget reservation, keyed by its message id) and the
   * conversation lock, both sent at once on the fail-fast Redis connection
   * (one round trip); the limits' refusal wins, and whichever succeeded is given back when the other did not.
   */
  private async admitAndLock(
    tenantId: string,
    subject: AdmissionSubject,
    conversationId: string,
    assistantMessageId: string,
  ): Promise<{ admission: Admission; lock: HeldLock }> {
    const [admitted, locked] = await Promise.allSettled([
      this.limits.admit(tenantId, subject, assistantMessageId),
      this.lock(tenantId, conversationId, `${this.instanceId}:${assistantMessageId}`),
    ]);
    if (admitted.status === 'rejected') {
      if (locked.status === 'fulfilled') await locked.value.release();
      throw admitted.reason;
    }
    if (locked.status === 'rejected') {
      await this.limits.refund(admitted.value);
      throw locked.reason;
    }
    return { admission: admitted.value, lock: locked.value };
  }

  private async lock(tenantId: string, conversationId: string, holder: string): Promise<HeldLock> {
    let lock: HeldLock | null;
    try {
      lock = await this.locks.acquire(tenantId, conversationId, holder, this.chat.generationMaxMs + 60_000);
    } catch {
      throw new DomainException(
        ErrorCode.ServiceUnavailable,
        'The generation lock cannot be taken: Redis is unavailable',
      );
    }
    if (!lock) {
      throw new DomainException(
        ErrorCode.GenerationInProgress,
        'An answer is already being generated in this conversation; wait for it or stop it first',
      );
    }
    return lock;
  }
}
