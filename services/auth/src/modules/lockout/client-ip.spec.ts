import { describe, expect, it } from 'vitest';
import { normaliseClientIp } from './client-ip';

describe('normaliseClientIp', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['10.1.2.3', '10.1.2.3'],
    ['2001:DB8::1', '2001:db8::1'],
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['not an ip; DEL *', 'unknown'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseClientIp(input)).toBe(expected);
  });
});
