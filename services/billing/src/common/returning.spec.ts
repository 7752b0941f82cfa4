import { describe, expect, it } from 'vitest';
import { returning } from './returning';

describe('returning (TypeORM query results of RETURNING statements)', () => {
  it('gives the rows of an INSERT as they are', () => {
    expect(returning([{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('gives the rows of an UPDATE, not the [rows, count] pair', () => {
    expect(returning([[{ id: 1 }], 1])).toEqual([{ id: 1 }]);
    expect(returning([[], 0])).toEqual([]);
  });
});
