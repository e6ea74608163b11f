import { z } from '../zod.ts';
import { storableText } from '../text.ts';

/** `?limit&cursor` of every list route: limit bounded to 1..100 (default 20), cursor opaque. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: storableText().min(1).max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;
