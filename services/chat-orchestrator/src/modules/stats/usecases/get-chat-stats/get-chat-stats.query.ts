import type { ChatPrincipal } from '../../../principal/chat-principal';
import { chatStatsQuerySchema, parseInput } from '@parley/contracts';
import { statsRange, type StatsRange } from '../../stats-range';

export class GetChatStatsQuery {
  private constructor(
    readonly principal: ChatPrincipal,
    readonly range: StatsRange,
    readonly byUser: boolean,
  ) {}

  static create(principal: ChatPrincipal, input: unknown, now: Date = new Date()): GetChatStatsQuery {
    const query = parseInput(chatStatsQuerySchema, input, 'query');
    return new GetChatStatsQuery(principal, statsRange(query.from, query.to, now), query.by === 'user');
  }
}
