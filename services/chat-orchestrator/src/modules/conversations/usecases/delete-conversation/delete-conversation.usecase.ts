import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import type { ConversationCommand } from '../../conversation.command';
import { ConversationsRepository } from '../../conversations.repository';
import { conversationNotFound } from '../../owner-command';

/** Deletes a conversation and its messages (foreign-key cascade). */
@Injectable()
export class DeleteConversationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: ConversationCommand): Promise<void> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        if (!(await this.conversations.delete(scope, command.owner, command.conversationId))) {
          throw conversationNotFound();
        }
      }),
    );
  }
}
