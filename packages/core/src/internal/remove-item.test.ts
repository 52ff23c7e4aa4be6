import { describe, expect, it } from 'vitest';
import { removeItem } from './remove-item';

describe('removeItem', () => {
  it('removes the first occurrence and keeps the order of the rest', () => {
    const list = ['a', 'b', 'c', 'b'];
    expect(removeItem(list, 'b')).toBe(true);
    expect(list).toEqual(['a', 'c', 'b']);
    expect(removeItem(list, 'x')).toBe(false);
    expect(list).toEqual(['a', 'c', 'b']);
    expect(removeItem(list, 'b')).toBe(true);
    expect(removeItem(list, 'a')).toBe(true);
    expect(list).toEqual(['c']);
  });
});
