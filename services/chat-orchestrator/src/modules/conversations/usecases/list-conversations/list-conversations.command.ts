import { listConversationsQuerySchema, parseInput } from '@parley/contracts';
import type { ChatPrincipal } from '../../../principal/chat-principal';
import { decodeSearchCursor, substringNeedle } from '../../conversation-search';
import { OwnerCommand } from '../../owner-command';
import { decodeCursor, type PageKey } from '../../page-cursor';

/** What to search for: the text (full-text), the substring for unspaced scripts, where the page starts. */
export interface ConversationSearch {
  text: string;
  needle: string | null;
  offset: number;
}

export class ListConversationsCommand extends OwnerCommand {
  private constructor(
    principal: ChatPrincipal,
    readonly limit: number,
    readonly after: PageKey | null,
    readonly search: ConversationSearch | null,
  ) {
    super(principal);
  }

  static create(principal: ChatPrincipal, rawQuery: unknown): ListConversationsCommand {
    const query = parseInput(listConversationsQuerySchema, rawQuery, 'query');
    if (query.q === undefined) {
      return new ListConversationsCommand(principal, query.limit, decodeCursor(query.cursor), null);
    }
    const search = { text: query.q, needle: substringNeedle(query.q), offset: decodeSearchCursor(query.cursor) };
    return new ListConversationsCommand(principal, query.limit, null, search);
  }
}
