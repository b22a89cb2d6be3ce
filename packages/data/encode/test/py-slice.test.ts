import { describe, expect, it } from 'vitest';
import { pyListSlice, pyStrSlice } from '../src/py-slice.js';

// Expected values are Python 3's (checked by hand against the language reference).
describe('Python slices', () => {
  it('list slices: negative indices, clamping, empty ranges, None', () => {
    const w = ['a', 'b', 'c', 'd'];
    expect(pyListSlice(w, null, 2)).toEqual(['a', 'b']); // w[:2]
    expect(pyListSlice(w, 1, 3)).toEqual(['b', 'c']); // w[1:3]
    expect(pyListSlice(w, 3, 1)).toEqual([]); // w[3:1]
    expect(pyListSlice(w, 2, 99)).toEqual(['c', 'd']); // w[2:99]
    expect(pyListSlice(w, -1, null)).toEqual(['d']); // w[-1:]
    expect(pyListSlice(w, -9, -2)).toEqual(['a', 'b']); // w[-9:-2]
    expect(pyListSlice(w, 0, 0)).toEqual([]); // w[0:0]
  });

  it('string slices count code points, not UTF-16 units', () => {
    expect(pyStrSlice('😀ab', 1, null)).toBe('ab'); // '😀ab'[1:]
    expect(pyStrSlice('a😀b', 1, 2)).toBe('😀');
    expect(pyStrSlice('abcdef', -2, null)).toBe('ef');
    expect(pyStrSlice('abc', 5, 9)).toBe('');
  });
});
