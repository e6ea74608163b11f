import { describe, expect, it } from 'vitest';
import { bindingMatches } from './binding.ts';

describe('bindingMatches', () => {
  it('matches an exact routing key and nothing else', () => {
    expect(bindingMatches('item.created.v1', 'item.created.v1')).toBe(true);
    expect(bindingMatches('item.created.v1', 'item.created.v2')).toBe(false);
    expect(bindingMatches('item.created', 'item.created.v1')).toBe(false);
  });

  it('takes every routing key for #', () => {
    expect(bindingMatches('#', 'item.created.v1')).toBe(true);
    expect(bindingMatches('#', 'stock.adjusted.v1')).toBe(true);
  });

  it('reads * as exactly one word and # as zero or more', () => {
    expect(bindingMatches('item.created.*', 'item.created.v2')).toBe(true);
    expect(bindingMatches('item.*', 'item.created.v1')).toBe(false);
    expect(bindingMatches('item.#', 'item.created.v1')).toBe(true);
    expect(bindingMatches('item.#', 'item')).toBe(true);
    expect(bindingMatches('*.created.#', 'stock.adjusted.v1')).toBe(false);
    expect(bindingMatches('#.v1', 'stock.adjusted.v1')).toBe(true);
  });
});
