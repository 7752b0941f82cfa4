import type { ChatPrincipal } from '../../../principal/chat-principal';
import type { StatsQueryDto } from '../../dtos/stats-query.dto';
import { statsRange, type StatsRange } from '../../stats-range';

export class GetChatStatsQuery {
  private constructor(
    readonly principal: ChatPrincipal,
    readonly range: StatsRange,
    readonly byUser: boolean,
  ) {}

  static create(principal: ChatPrincipal, query: StatsQueryDto, now: Date = new Date()): GetChatStatsQuery {
    return new GetChatStatsQuery(principal, statsRange(query.from, query.to, now), query.by === 'user');
  }
}
