import { describe, expect, it } from 'vitest';
import { chatUpstreamPath } from './chat-upstream-path';

describe('chatUpstreamPath', () => {
  it.each<[string[], string, string]>([
    [['conversations'], '/api/v1/conversations?limit=5&cursor=abc', '/conversations?limit=5&cursor=abc'],
    [['conversations', 'c-1', 'messages'], '/api/v1/conversations/c-1/messages', '/conversations/c-1/messages'],
    [['skills', 'a/b'], '/api/v1/skills/a%2Fb', '/skills/a%2Fb'],
    [['chat', 'providers', 'x?y#z'], '/api/v1/chat/providers/x%3Fy%23z', '/chat/providers/x%3Fy%23z'],
    [['chat', 'stats'], '/api/v1/chat/stats?from=2025-01-01&by=user', '/chat/stats?from=2025-01-01&by=user'],
  ])('maps %j of %s to %s', (segments, url, path) => {
    expect(chatUpstreamPath(segments, url)).toBe(path);
  });

  it.each([[['conversations', '..']], [['conversations', '.']], [['skills', '']]])('refuses %j', (segments) => {
    expect(chatUpstreamPath(segments, '/api/v1/x')).toBeNull();
  });
});
