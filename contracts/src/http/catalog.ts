import { z } from '../zod.ts';
import { maxInt32, storableText } from '../text.ts';
import { uncategorised } from '../events/item-created.v2.ts';

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
    // Optional, so clients written before categories existed keep working: they get the same
    // default a v1 item.created event is upcast with.
    category: storableText()
      .trim()
      .min(1)
      .max(64)
      .default(uncategorised)
      .openapi({ description: `The item's category; "${uncategorised}" when absent`, example: 'lighting' }),
  })
  .strict();
export type CreateItemRequest = z.infer<typeof createItemRequest>;

export const itemResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  sku: z.string(),
  priceCents: z.number().int(),
  category: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ItemResponse = z.infer<typeof itemResponse>;

export const itemListResponse = z.object({
  items: z.array(itemResponse),
  next_cursor: z.string().nullable(),
});
