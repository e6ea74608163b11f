import { z } from '../zod.ts';
import { storableText } from '../text.ts';

export const stockResponse = z.object({
  itemId: z.uuid(),
  sku: z.string(),
  onHand: z.number().int(),
});
export type StockResponse = z.infer<typeof stockResponse>;

export const adjustStockRequest = z
  .object({
    delta: z
      .number()
      .int()
      .refine((delta) => delta !== 0, 'delta must not be 0')
      .refine((delta) => Math.abs(delta) <= 1_000_000, 'delta must be within ±1,000,000'),
    reason: storableText().trim().min(1).max(500),
  })
  .strict();
export type AdjustStockRequest = z.infer<typeof adjustStockRequest>;

export const adjustmentResponse = z.object({
  id: z.uuid(),
  itemId: z.uuid(),
  delta: z.number().int(),
  reason: z.string(),
  onHand: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type AdjustmentResponse = z.infer<typeof adjustmentResponse>;
