import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import type { CreateConversationCommand } from './create-conversation.command';

@Injectable()
export class CreateConversationUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
  ) {}

  execute(command: CreateConversationCommand): Promise<ConversationView> {
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) =>
        toConversationView(await this.conversations.create(scope, command.owner, randomUUID(), command.title)),
      ),
    );
  }
}
