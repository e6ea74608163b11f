import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';

export const stockAdjustedV1 = defineEvent({
  type: 'stock.adjusted',
  version: 1,
  description: "An item's stock on hand was adjusted by a delta.",
  subject: 'the item id',
  data: z
    .object({
      adjustmentId: z.uuid(),
      itemId: z.uuid(),
      sku: z.string().min(1).max(64),
      delta: z.number().int(),
      reason: z.string().min(1).max(500),
      onHand: z.number().int().nonnegative(),
      adjustedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
