import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import type { ConversationCommand } from '../../conversation.command';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import { conversationNotFound } from '../../owner-command';

@Injectable()
export class GetConversationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: ConversationCommand): Promise<ConversationView> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        const row = await this.conversations.find(scope, command.owner, command.conversationId);
        if (!row) throw conversationNotFound();
        return toConversationView(row);
      }),
    );
  }
}
