import { describe, expect, it } from 'vitest';
import { oneLine } from './mail-text';

describe('oneLine', () => {
  it('flattens line breaks and control characters, so data cannot add headers or lines', () => {
    expect(oneLine('Acme\r\nBcc: victim@example.com')).toBe('Acme Bcc: victim@example.com');
    expect(oneLine('  a\u2028b\u0000c ')).toBe('a b c');
  });

  it('shortens long values', () => {
    expect(oneLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
