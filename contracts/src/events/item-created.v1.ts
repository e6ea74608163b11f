import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';

export const itemCreatedV1 = defineEvent({
  type: 'item.created',
  version: 1,
  description: 'A catalog item was created.',
  subject: 'the item id',
  data: z
    .object({
      id: z.uuid(),
      name: z.string().min(1).max(200),
      sku: z.string().min(1).max(64),
      priceCents: z.number().int().nonnegative(),
      createdAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
