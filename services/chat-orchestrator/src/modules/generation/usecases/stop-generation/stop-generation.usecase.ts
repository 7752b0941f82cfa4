import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { TenantContext, TenantDb } from '@parley/tenancy';
import type { ConversationCommand } from '../../../conversations/conversation.command';
import { ConversationsRepository } from '../../../conversations/conversations.repository';
import { conversationNotFound } from '../../../conversations/owner-command';
import { GenerationLocks } from '../../generation-lock';
import { GenerationRegistry } from '../../generation-registry';

/** How long a stop waits for the replica running the answer to store it as stopped. */
export const STOP_WAIT_MS = 5_000;

/**
 * Stops the answer being generated in a conversation, whichever replica runs it: this one aborts it
 * directly; otherwise the stop is published to every replica and the answer is awaited until its
 * holder released the conversation (stored `stopped`). `{ stopped: false }`: nothing was running.
 */
@Injectable()
export class StopGenerationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
    private readonly registry: GenerationRegistry,
    private readonly locks: GenerationLocks,
  ) {}

  async execute(command: ConversationCommand): Promise<{ stopped: boolean }> {
    const { tenantId, conversationId } = command;
    const owned = await TenantContext.run(tenantId, () =>
      this.db.run((scope) => this.conversations.exists(scope, command.owner, conversationId)),
    );
    if (!owned) throw conversationNotFound();
    if (await this.registry.stopLocal(tenantId, conversationId)) return { stopped: true };
    try {
      const holder = await this.locks.holder(tenantId, conversationId);
      if (!holder) return { stopped: false };
      await this.registry.publishStop(tenantId, conversationId);
      return { stopped: await this.locks.waitReleased(tenantId, conversationId, holder, STOP_WAIT_MS) };
    } catch {
      throw new DomainException(ErrorCode.ServiceUnavailable, 'The stop cannot be delivered: Redis is unavailable');
    }
  }
}
