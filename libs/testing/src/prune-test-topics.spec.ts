import { describe, expect, it } from 'vitest';
import { topicPrefixOf } from './prune-test-topics';

describe('topicPrefixOf', () => {
  it.each([
    ['gw3f2a1b.tenant.created.v1', 'gw3f2a1b.'],
    ['pp72e58f47bd.chat.message-completed.v1', 'pp72e58f47bd.'],
    ['e2e03c.bus.reply-gateway.v1', 'e2e03c.'],
    ['x.bus.dead-letter.v1', 'x.'],
    ['tenant.created.v1', ''],
    ['bus.reply-chat-orchestrator.v1', ''],
    ['someone.elses.topic', ''],
  ])('%s → %j', (topic, prefix) => {
    expect(topicPrefixOf(topic)).toBe(prefix);
  });
});
