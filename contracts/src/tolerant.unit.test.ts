import { describe, expect, it } from 'vitest';
import { envelopeSchema } from './envelope.ts';
import { itemCreatedV1 } from './events/item-created.v1.ts';
import { tolerant } from './tolerant.ts';
import { z } from './zod.ts';

const item = { id: '0193a2e0-7c4b-7d1a-9f3e-2b8c4d5e6f70', name: 'Lamp', sku: 'L-1', priceCents: 100, createdAt: '2026-01-01T00:00:00.000Z' };

describe('tolerant readers of strict schemas', () => {
  it('keeps fields the writer’s schema does not name, at every depth', () => {
    const writer = z
      .object({
        a: z.string(),
        nested: z.object({ x: z.number() }).strict().optional(),
        list: z.array(z.object({ k: z.string() }).strict()).min(1),
        either: z.union([z.object({ u: z.literal(1) }).strict(), z.string()]).nullable(),
      })
      .strict();
    const value = { a: 'x', extra: true, nested: { x: 1, more: 'kept' }, list: [{ k: 'v', also: 2 }], either: { u: 1, too: 3 } };
    expect(writer.safeParse(value).success).toBe(false);
    expect(tolerant(writer).parse(value)).toEqual(value);
  });

  it('still refuses what is broken: a missing required field, a wrong type, a broken check', () => {
    const reader = tolerant(itemCreatedV1.data);
    expect(reader.safeParse({ ...item, unknown: 1 }).success).toBe(true);
    const { sku: _sku, ...withoutSku } = item;
    expect(reader.safeParse(withoutSku).success).toBe(false);
    expect(reader.safeParse({ ...item, priceCents: '100' }).success).toBe(false);
    expect(reader.safeParse({ ...item, priceCents: -1 }).success).toBe(false);
    expect(reader.safeParse({ ...item, id: 'not-a-uuid' }).success).toBe(false);
    const list = tolerant(z.array(z.string()).min(2));
    expect(list.safeParse(['one']).success).toBe(false);
  });

  it('leaves the writer’s schema strict', () => {
    tolerant(envelopeSchema);
    expect(itemCreatedV1.data.safeParse({ ...item, unknown: 1 }).success).toBe(false);
    expect(tolerant(envelopeSchema).shape.metadata.safeParse({ actor: 'a', via: 'b' }).success).toBe(true);
    expect(envelopeSchema.shape.metadata.safeParse({ actor: 'a', via: 'b' }).success).toBe(false);
  });
});
