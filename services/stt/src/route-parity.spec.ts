import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@parley/observability';
import { offlineConfig, routeParity } from '@parley/testing';
import { AppModule } from './app.module';

describe('the stt service and the route table (PUBLIC_ROUTES in @parley/contracts)', () => {
  it('registers exactly the public routes the table sends it (internal, health, metrics routes aside)', async () => {
    const root = AppModule.forRoot(offlineConfig('stt'), createLogger('stt', 'silent'));
    const { registered, notInTable, notInService } = await routeParity('stt', root);
    expect(registered).toContain('GET /health/live');
    expect({ notInTable, notInService }).toEqual({ notInTable: [], notInService: [] });
  });
});
