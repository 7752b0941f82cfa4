import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import { conversationNotFound } from '../../owner-command';
import type { UpdateConversationCommand } from './update-conversation.command';

/** Renames and/or pins a conversation of the principal (another owner's: 404). */
@Injectable()
export class UpdateConversationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: UpdateConversationCommand): Promise<ConversationView> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        const row = await this.conversations.update(scope, command.owner, command.conversationId, {
          title: command.title,
          pinned: command.pinned,
        });
        if (!row) throw conversationNotFound();
        return toConversationView(row);
      }),
    );
  }
}
