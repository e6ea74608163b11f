import { describe, expect, it, vi } from 'vitest';
import { DeliveryLimitError } from '../errors.ts';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import { retryPolicy } from '../retry-policy.ts';
import { crashLoopGuard } from './crash-loop-guard.ts';

describe('crash-loop guard', () => {
  const guard = crashLoopGuard(retryPolicy({ deliveryLimit: 3 }));

  it('runs the rest of the pipeline while the message has been returned fewer times than the limit', async () => {
    const next = vi.fn(async () => ({ result: 'applied' as const }));
    await expect(guard(next)(deliveryOf(itemCreatedEvent(), { headers: { 'x-delivery-count': 2 } }))).resolves.toEqual({ result: 'applied' });
    expect(next).toHaveBeenCalledOnce();
  });

  it('refuses a message at the limit without touching it, counting the larger of the two broker counters', async () => {
    const next = vi.fn(async () => ({ result: 'applied' as const }));
    await expect(guard(next)(deliveryOf(itemCreatedEvent(), { headers: { 'x-delivery-count': 0, 'x-acquired-count': 3 } }))).rejects.toBeInstanceOf(DeliveryLimitError);
    expect(next).not.toHaveBeenCalled();
  });
});
