import { describe, expect, it } from 'vitest';
import { presentedKey } from './api-key-credential-verifier';

describe('the presented API key', () => {
  it.each([
    [{ authorization: 'Bearer pk_abc_DEF-1' }, 'pk_abc_DEF-1'],
    [{ 'x-api-key': 'pk_abc_DEF-1' }, 'pk_abc_DEF-1'],
    [{ authorization: 'Bearer pk_a b' }, undefined],
    [{ 'x-api-key': 'pk_a', authorization: 'Bearer x.y.z' }, undefined],
    [{ 'x-api-key': 'sk_live' }, undefined],
    [{ 'x-api-key': `pk_${'a'.repeat(300)}` }, undefined],
  ])('of %j is %s', (headers, key) => {
    expect(presentedKey(headers)).toBe(key);
  });
});
