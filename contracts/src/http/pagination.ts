import { z } from '../zod.ts';

/** `?limit&cursor` of every list route: limit bounded to 1..100 (default 20), cursor opaque. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;
