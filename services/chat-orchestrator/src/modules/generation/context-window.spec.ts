import { describe, expect, it } from 'vitest';
import { fitContext, TURN_OVERHEAD_TOKENS, type ContextInput, type PastTurn } from './context-window';

/** One token per word, so budgets are easy to reason about. */
const words = (text: string) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length);
const turn = (id: string, role: PastTurn['role'], content: string): PastTurn => ({ id, role, content });

function fit(overrides: Partial<ContextInput>) {
  const counted: string[] = [];
  const result = fitContext({
    system: null,
    history: [],
    prompt: 'new question',
    budget: 1000,
    count: words,
    countTurn: (t) => {
      counted.push(t.id);
      return words(t.content);
    },
    bound: (text) => Buffer.byteLength(text),
    ...overrides,
  });
  return { ...result, counted };
}

// Newest first, as loaded: u1 a1 u2 a2 (oldest → newest), each 2 words.
const history = [
  turn('a2', 'assistant', 'answer two'),
  turn('u2', 'user', 'question two'),
  turn('a1', 'assistant', 'answer one'),
  turn('u1', 'user', 'question one'),
];
const per = 2 + TURN_OVERHEAD_TOKENS;

describe('fitContext', () => {
  it('keeps everything, oldest first, without tokenizing when the byte bound fits', () => {
    const result = fit({ history, system: 'be brief' });
    expect(result.messages).toEqual([
      { role: 'user', content: 'question one' },
      { role: 'assistant', content: 'answer one' },
      { role: 'user', content: 'question two' },
      { role: 'assistant', content: 'answer two' },
      { role: 'user', content: 'new question' },
    ]);
    expect(result.system).toBe('be brief');
    expect(result.dropped).toBe(0);
    expect(result.counted).toEqual([]);
  });

  it('drops the oldest turns first, keeping the system prompt and the new message', () => {
    const system = 'you are a careful reviewer';
    const fixed = words(system) + TURN_OVERHEAD_TOKENS + words('new question') + TURN_OVERHEAD_TOKENS;
    const result = fit({ history, system, budget: fixed + 2 * per });
    expect(result.system).toBe(system);
    expect(result.messages).toEqual([
      { role: 'user', content: 'question two' },
      { role: 'assistant', content: 'answer two' },
      { role: 'user', content: 'new question' },
    ]);
    expect(result.dropped).toBe(2);
  });

  it('never starts with an assistant turn: one that would lead is dropped too', () => {
    const fixed = words('new question') + TURN_OVERHEAD_TOKENS;
    const result = fit({ history, budget: fixed + 3 * per });
    expect(result.messages[0]).toEqual({ role: 'user', content: 'question two' });
    expect(result.messages).toHaveLength(3);
  });

  it('stops at the first turn that does not fit, even if an older one would', () => {
    const long = [turn('big', 'assistant', 'a b c d e f g h i j'), turn('small', 'user', 'hi')];
    const fixed = words('new question') + TURN_OVERHEAD_TOKENS;
    const result = fit({ history: long, budget: fixed + 3 + TURN_OVERHEAD_TOKENS });
    expect(result.messages).toEqual([{ role: 'user', content: 'new question' }]);
    expect(result.dropped).toBe(2);
  });

  it('sends the system prompt and the new message even when they alone exceed the budget', () => {
    const result = fit({ history, system: 'x '.repeat(50), prompt: 'y '.repeat(50), budget: 10 });
    expect(result.messages).toEqual([{ role: 'user', content: 'y '.repeat(50) }]);
    expect(result.system).toBe('x '.repeat(50));
    expect(result.dropped).toBe(4);
  });

  it('joins consecutive turns of one role (a question whose answer failed empty)', () => {
    const gap = [turn('u2', 'user', 'second try'), turn('u1', 'user', 'first try')];
    expect(fit({ history: gap }).messages).toEqual([
      { role: 'user', content: 'first try\n\nsecond try\n\nnew question' },
    ]);
  });
});
