import { Injectable } from '@nestjs/common';
import { USAGE_TOP_SKILLS, type UsageReport } from '@parley/contracts';
import { trailingWindow } from '../../usage-range';
import { UsageRepository, ZERO_FIGURES } from '../../usage.repository';
import type { GetUsageQuery } from './get-usage.query';

/**
 * The usage report of a range: totals, active people on the last day and in the trailing 7 and 30
 * days, web app versus API, top skills, and the figures per group (every day of the range for
 * `day`, zeros included).
 */
@Injectable()
export class GetUsageUseCase {
  constructor(private readonly usage: UsageRepository) {}

  execute(query: GetUsageQuery): Promise<UsageReport> {
    const { range, subject, groupBy } = query;
    return this.usage.read(async (reader) => {
      const totals = (await reader.figures('all', range, subject)).get('all') ?? { ...ZERO_FIGURES };
      const channels = await reader.figures('channel', range, subject);
      const grouped = await reader.figures(groupBy, range, subject);
      const groups =
        groupBy === 'day'
          ? range.days.map((day) => ({ key: day, ...(grouped.get(day) ?? ZERO_FIGURES) }))
          : [...grouped.entries()]
              .map(([key, figures]) => ({ key, ...figures }))
              .sort((a, b) => b.costMicros - a.costMicros || b.messages - a.messages || order(a.key, b.key));
      return {
        from: range.from,
        to: range.to,
        groupBy,
        scope: subject.kind === 'tenant' ? 'tenant' : 'self',
        totals,
        activePeople: {
          daily: await reader.activePeople(trailingWindow(range, 1), subject),
          weekly: await reader.activePeople(trailingWindow(range, 7), subject),
          monthly: await reader.activePeople(trailingWindow(range, 30), subject),
        },
        channels: {
          web: channels.get('web') ?? { ...ZERO_FIGURES },
          api: channels.get('api') ?? { ...ZERO_FIGURES },
        },
        topSkills: await reader.topSkills(range, subject, USAGE_TOP_SKILLS),
        groups,
      };
    });
  }
}

function order(a: string | null, b: string | null): number {
  return (a ?? '').localeCompare(b ?? '');
}
