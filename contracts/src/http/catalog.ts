import { z } from '../zod.ts';

export const createItemRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    sku: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'sku may hold letters, digits, dot, dash and underscore'),
    priceCents: z.number().int().nonnegative().max(1_000_000_000_00),
  })
  .strict();
export type CreateItemRequest = z.infer<typeof createItemRequest>;

export const itemResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  sku: z.string(),
  priceCents: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ItemResponse = z.infer<typeof itemResponse>;

export const itemListResponse = z.object({
  items: z.array(itemResponse),
  next_cursor: z.string().nullable(),
});
