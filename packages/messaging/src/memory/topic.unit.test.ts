import { describe, expect, it } from 'vitest';
import { topicMatches } from './topic.ts';

describe('topic binding keys', () => {
  it.each([
    ['item.created.v1', 'item.created.v1', true],
    ['item.created.v1', 'item.created.v2', false],
    ['item.*.v1', 'item.created.v1', true],
    ['item.*', 'item.created.v1', false],
    ['#', 'item.created.v1', true],
    ['#', '', true],
    ['item.#', 'item', true],
    ['item.#', 'item.created.v1', true],
    ['#.v1', 'stock.adjusted.v1', true],
    ['#.v1', 'stock.adjusted.v2', false],
    ['*.*.v1', 'item.v1', false],
  ])('%s against %s: %s', (binding, routingKey, expected) => {
    expect(topicMatches(binding, routingKey)).toBe(expected);
  });
});
