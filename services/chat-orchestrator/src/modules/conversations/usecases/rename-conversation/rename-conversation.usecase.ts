import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import { conversationNotFound } from '../../owner-command';
import type { RenameConversationCommand } from './rename-conversation.command';

@Injectable()
export class RenameConversationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: RenameConversationCommand): Promise<ConversationView> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        const row = await this.conversations.rename(scope, command.owner, command.conversationId, command.title);
        if (!row) throw conversationNotFound();
        return toConversationView(row);
      }),
    );
  }
}
