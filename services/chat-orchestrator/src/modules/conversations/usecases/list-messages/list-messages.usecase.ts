import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { ConversationsRepository } from '../../conversations.repository';
import { toMessageView, type MessageView } from '../../message.view';
import { MessagesRepository } from '../../messages.repository';
import { conversationNotFound } from '../../owner-command';
import { toPage, type Page } from '../../page-cursor';
import type { ListMessagesCommand } from './list-messages.command';

/** A conversation's messages, newest first. */
@Injectable()
export class ListMessagesUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  execute(command: ListMessagesCommand): Promise<Page<MessageView>> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        if (!(await this.conversations.exists(scope, command.owner, command.conversationId))) {
          throw conversationNotFound();
        }
        const rows = await this.messages.list(scope, command.conversationId, command.limit, command.before);
        return toPage(rows, command.limit, (row) => ({ ...toMessageView(row), feedback: row.feedback }));
      }),
    );
  }
}
