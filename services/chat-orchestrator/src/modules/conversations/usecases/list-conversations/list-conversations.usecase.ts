import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import { toPage, type Page } from '../../page-cursor';
import type { ListConversationsCommand } from './list-conversations.command';

/** The principal's conversations, newest activity first. */
@Injectable()
export class ListConversationsUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: ListConversationsCommand): Promise<Page<ConversationView>> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) =>
        toPage(
          await this.conversations.list(scope, command.owner, command.limit, command.after),
          command.limit,
          toConversationView,
        ),
      ),
    );
  }
}
