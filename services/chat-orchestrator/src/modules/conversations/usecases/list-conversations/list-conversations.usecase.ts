import { Injectable } from '@nestjs/common';
import { TenantContext, TenantDb } from '@parley/tenancy';
import { ConversationSearchRepository, type SearchHitRow } from '../../conversation-search.repository';
import { encodeSearchCursor, headlineSegments, SEARCH_MAX_OFFSET, substringSegments } from '../../conversation-search';
import { toConversationView, type ConversationView } from '../../conversation.view';
import { ConversationsRepository } from '../../conversations.repository';
import { toPage, type Page } from '../../page-cursor';
import type { ConversationSearch, ListConversationsCommand } from './list-conversations.command';

/**
 * The principal's conversations: newest activity first, or, with a search, those whose title or
 * messages match, best match first, each with the snippet of its best hit.
 */
@Injectable()
export class ListConversationsUseCase {
  constructor(
    private readonly db: TenantDb,
    private readonly conversations: ConversationsRepository,
    private readonly searches: ConversationSearchRepository,
  ) {}

  execute(command: ListConversationsCommand): Promise<Page<ConversationView>> {
    const search = command.search;
    return TenantContext.run(command.tenantId, () =>
      this.db.run(async (scope) => {
        if (search === null) {
          const rows = await this.conversations.list(scope, command.owner, command.limit, command.after);
          return toPage(rows, command.limit, toConversationView);
        }
        const rows = await this.searches.search(scope, command.owner, { ...search, limit: command.limit });
        return searchPage(rows, command.limit, search);
      }),
    );
  }
}

function searchPage(rows: SearchHitRow[], limit: number, search: ConversationSearch): Page<ConversationView> {
  const items = rows.slice(0, limit).map((row) => {
    let snippet = headlineSegments(row.headline);
    if (search.needle !== null && !snippet.some((s) => s.highlight))
      snippet = substringSegments(row.excerpt, search.needle);
    return { ...toConversationView(row), match: { rank: row.rank, messageId: row.message_id, snippet } };
  });
  const next = search.offset + limit;
  return { items, nextCursor: rows.length > limit && next <= SEARCH_MAX_OFFSET ? encodeSearchCursor(next) : null };
}
