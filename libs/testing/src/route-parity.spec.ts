import 'reflect-metadata';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CHAT_ROUTES } from '@parley/contracts';
import { isExcludedRoute, registeredRoutes, routeKey, routeParity } from './route-parity';

@Controller('conversations')
class ConversationsController {
  @Get(':id')
  get(): void {}

  @Post(':id/secret-export')
  exportAll(): void {}
}

@Controller('internal/tenants')
class InternalController {
  @Get()
  list(): void {}
}

@Module({ controllers: [ConversationsController] })
class ChildModule {}

@Module({})
class RootModule {}

const root = { module: RootModule, imports: [ChildModule], controllers: [InternalController] };

describe('route parity', () => {
  it('reads the routes of the whole module graph from the decorators', async () => {
    expect([...(await registeredRoutes(root))].sort()).toEqual([
      'GET /conversations/{}',
      'GET /internal/tenants',
      'POST /conversations/{}/secret-export',
    ]);
  });

  it('names a service route missing from the table, and table routes missing from the service', async () => {
    const parity = await routeParity('chat', root);
    expect(parity.notInTable).toEqual(['POST /conversations/{}/secret-export']);
    expect(parity.notInService).toContain('POST /conversations/{}/messages');
    expect(parity.notInService).not.toContain('GET /conversations/{}');
    expect(parity.notInService).toHaveLength(CHAT_ROUTES.length - 1);
  });

  it('excludes internal, health, metrics and key-set routes by rule, and nothing else', () => {
    for (const path of ['/internal/x', '/health/live', '/metrics', '/.well-known/jwks.json']) {
      expect(isExcludedRoute(path), path).toBe(true);
    }
    for (const path of ['/internals', '/auth/sign-in', '/healthy', '/conversations']) {
      expect(isExcludedRoute(path), path).toBe(false);
    }
  });

  it('names parameters alike in both syntaxes', () => {
    expect(routeKey('GET', '/a/:id/b')).toBe(routeKey('GET', '/a/{id}/b'));
  });
});
