import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';
import { maxInt32, storableText } from '../text.ts';

/** The category of an item created before items had one (every `item.created` v1, upcast to v2). */
export const uncategorised = 'uncategorised';

export const itemCreatedV2 = defineEvent({
  type: 'item.created',
  version: 2,
  description: `A catalog item was created. v2 adds the required \`category\` (v1 events read as v2 get "${uncategorised}").`,
  subject: 'the item id',
  data: z
    .object({
      id: z.uuid(),
      name: storableText().min(1).max(200),
      sku: storableText().min(1).max(64),
      category: storableText().min(1).max(64),
      priceCents: z.number().int().nonnegative().max(maxInt32),
      createdAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
