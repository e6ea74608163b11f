import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';
import { maxInt32, storableText } from '../text.ts';

export const stockAdjustedV1 = defineEvent({
  type: 'stock.adjusted',
  version: 1,
  description: "An item's stock on hand was adjusted by a delta.",
  subject: 'the item id',
  data: z
    .object({
      adjustmentId: z.uuid(),
      itemId: z.uuid(),
      sku: storableText().min(1).max(64),
      delta: z.number().int().min(-maxInt32).max(maxInt32),
      reason: storableText().min(1).max(500),
      onHand: z.number().int().nonnegative().max(maxInt32),
      adjustedAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
