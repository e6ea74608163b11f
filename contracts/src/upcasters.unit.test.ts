import { describe, expect, it } from 'vitest';
import { itemCreatedV1 } from './events/item-created.v1.ts';
import { itemCreatedV2, uncategorised } from './events/item-created.v2.ts';
import { itemCreatedV1ToV2, missingUpcasters, NoUpcastPathError, upcast } from './upcasters.ts';

const v1 = { id: '0193a2e0-7c4b-7d1a-9f3e-2b8c4d5e6f70', name: 'Lamp', sku: 'L-1', priceCents: 100, createdAt: '2026-01-01T00:00:00.000Z' };

describe('upcasters', () => {
  it('give a v1 item.created the documented default category, and nothing else changes', () => {
    const upcast = itemCreatedV1ToV2.upcast(v1);
    expect(upcast).toEqual({ ...v1, category: uncategorised });
    expect(itemCreatedV2.data.safeParse(upcast).success).toBe(true);
    expect(v1).not.toHaveProperty('category');
  });

  it('are pure: the same input gives the same output, the input is left alone', () => {
    const input = structuredClone(v1);
    expect(itemCreatedV1ToV2.upcast(input)).toEqual(itemCreatedV1ToV2.upcast(input));
    expect(input).toEqual(v1);
  });

  it('carry over fields a newer producer added that the reader does not know', () => {
    expect(upcast('item.created', 1, 2, { ...v1, colour: 'red' })).toEqual({ ...v1, colour: 'red', category: uncategorised });
  });

  it('chain to the version asked for, and leave data alone at its own version', () => {
    expect(upcast('item.created', 1, 2, v1)).toEqual({ ...v1, category: uncategorised });
    const v2 = { ...v1, category: 'lighting' };
    expect(upcast('item.created', 2, 2, v2)).toBe(v2);
  });

  it('refuse to go back a version or past the last defined one', () => {
    expect(() => upcast('item.created', 2, 1, { ...v1, category: 'x' })).toThrow(NoUpcastPathError);
    expect(() => upcast('item.created', 1, 3, v1)).toThrow(NoUpcastPathError);
    expect(() => upcast('stock.adjusted', 1, 2, {})).toThrow(/no upcaster from stock.adjusted v1 to v2/);
  });

  it('exist for every step between defined versions', () => {
    expect(missingUpcasters()).toEqual([]);
    expect(itemCreatedV1ToV2.from).toBe(itemCreatedV1);
  });
});
