import { describe, expect, it } from 'vitest';
import { parseCommand, SKILL_COMMAND_PATTERN } from './skill-command';

describe('parseCommand', () => {
  it.each([
    ['/doc', { command: '/doc', input: '' }],
    ['/doc   ', { command: '/doc', input: '' }],
    ['/doc write the README', { command: '/doc', input: 'write the README' }],
    ['/review-code\nconst a = 1;\n', { command: '/review-code', input: 'const a = 1;' }],
    ['/a1-b2\tx', { command: '/a1-b2', input: 'x' }],
    [`/${'a'.repeat(32)} y`, { command: `/${'a'.repeat(32)}`, input: 'y' }],
    ['/doc /palette', { command: '/doc', input: '/palette' }],
  ])('reads %j as a command', (content, expected) => {
    expect(parseCommand(content)).toEqual(expected);
  });

  it.each([
    'hello /doc',
    ' /doc',
    '/Doc x',
    '/etc/hosts',
    '/doc.',
    '/doc,x',
    '/',
    '/ doc',
    '//doc',
    `/${'a'.repeat(33)}`,
    '/café',
    '',
  ])('reads %j as an ordinary message', (content) => {
    expect(parseCommand(content)).toBeNull();
  });

  it('agrees with the pattern commands are stored with', () => {
    expect(SKILL_COMMAND_PATTERN.test('/review-code')).toBe(true);
    expect(SKILL_COMMAND_PATTERN.test('/review code')).toBe(false);
    expect(SKILL_COMMAND_PATTERN.test('review')).toBe(false);
    expect(SKILL_COMMAND_PATTERN.test(`/${'a'.repeat(33)}`)).toBe(false);
  });
});
