import { z } from '../zod.ts';
import { maxInt32, storableText } from '../text.ts';

export const createItemRequest = z
  .object({
    name: storableText().trim().min(1).max(200),
    sku: storableText()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'sku may hold letters, digits, dot, dash and underscore'),
    // The column is a PostgreSQL integer: a larger price would pass here and fail there (a 500).
    priceCents: z.number().int().nonnegative().max(maxInt32),
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
