import { z } from 'zod';
import { defineCommand, defineEvent } from '@parley/contracts';

export const BenchTickV1 = defineEvent({
  name: 'bench.tick.v1',
  schema: z.strictObject({ tenantId: z.string(), seq: z.number().int(), sentAt: z.number() }),
  key: (m) => `${m.tenantId}:${m.seq % 64}`,
});

export const BenchEchoV1 = defineCommand({
  name: 'bench.echo.v1',
  schema: z.strictObject({ seq: z.number().int() }),
  replySchema: z.strictObject({ seq: z.number().int() }),
  key: (m) => String(m.seq % 64),
});
