import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';
import { maxInt32, storableText } from '../text.ts';

export const itemCreatedV1 = defineEvent({
  type: 'item.created',
  version: 1,
  description: 'A catalog item was created.',
  subject: 'the item id',
  data: z
    .object({
      id: z.uuid(),
      name: storableText().min(1).max(200),
      sku: storableText().min(1).max(64),
      priceCents: z.number().int().nonnegative().max(maxInt32),
      createdAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
