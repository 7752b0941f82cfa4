import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@parley/contracts';
import { isTenantAdmin } from '../../../principal/chat-principal';
import { StatsRepository, type StatsOwner } from '../../stats.repository';
import type { GetChatStatsQuery } from './get-chat-stats.query';

export interface DayStats {
  date: string;
  conversations: number;
  messages: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
}

export interface UserStats {
  kind: StatsOwner['kind'];
  /** The user id (the key id for an API key). */
  userId: string;
  conversations: number;
  messages: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
}

export interface ChatStats {
  from: string;
  to: string;
  /** Every day of the range, oldest first; days without activity are zeros. */
  days: DayStats[];
  users?: UserStats[];
}

/**
 * Chat activity per UTC day: tenant-wide for owners and admins, the caller's own for everyone else
 * (members, billing, API keys). `by=user` (owners and admins only) adds the split by principal.
 */
@Injectable()
export class GetChatStatsUseCase {
  constructor(private readonly stats: StatsRepository) {}

  async execute({ principal, range, byUser }: GetChatStatsQuery): Promise<ChatStats> {
    const admin = isTenantAdmin(principal);
    if (byUser && !admin) {
      throw new DomainException(ErrorCode.Forbidden, 'Only owners and admins see the statistics per user');
    }
    const owner = admin ? null : { kind: principal.ownerKind, id: principal.ownerId };
    const counted = new Map(
      (await this.stats.perDay(principal.tenantId, range.start, range.end, owner)).map((d) => [d.day, d]),
    );
    const days = range.days.map((date): DayStats => {
      const d = counted.get(date);
      return {
        date,
        conversations: d?.conversations ?? 0,
        messages: d?.messages ?? 0,
        promptTokens: d?.promptTokens ?? 0,
        completionTokens: d?.completionTokens ?? 0,
        costMicros: d?.costMicros ?? 0,
      };
    });
    if (!byUser) return { from: range.from, to: range.to, days };
    const users = (await this.stats.perOwner(principal.tenantId, range.start, range.end))
      .map((o): UserStats => ({
        kind: o.owner.kind,
        userId: o.owner.id,
        conversations: o.conversations,
        messages: o.messages,
        promptTokens: o.promptTokens,
        completionTokens: o.completionTokens,
        costMicros: o.costMicros,
      }))
      .sort((a, b) => b.costMicros - a.costMicros || b.messages - a.messages || a.userId.localeCompare(b.userId));
    return { from: range.from, to: range.to, days, users };
  }
}
