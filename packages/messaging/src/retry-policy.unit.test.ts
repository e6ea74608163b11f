import { describe, expect, it } from 'vitest';
import { DeliveryLimitError, PermanentError } from './errors.ts';
import { assertWithinDeliveryLimit, retryPolicy } from './retry-policy.ts';

describe('the retry policy', () => {
  const policy = retryPolicy({ delaysMs: [100, 400], deliveryLimit: 5 });

  it('retries a transient failure through one delay queue per delay, then parks it', () => {
    expect(policy.decide('audit.event-log', 1, new Error('timeout'))).toEqual({ action: 'retry', queue: 'audit.event-log.retry.1', delayMs: 100, nextAttempt: 2 });
    expect(policy.decide('audit.event-log', 2, new Error('timeout'))).toEqual({ action: 'retry', queue: 'audit.event-log.retry.2', delayMs: 400, nextAttempt: 3 });
    expect(policy.decide('audit.event-log', 3, new Error('timeout'))).toEqual({ action: 'park', queue: 'audit.event-log.dlq', attempt: 3 });
  });

  it('parks a permanent failure at once, and what the caller calls permanent too', () => {
    expect(policy.decide('q', 1, new PermanentError('bad'))).toMatchObject({ action: 'park', queue: 'q.dlq' });
    const strict = retryPolicy({ delaysMs: [100], permanent: (error) => error instanceof RangeError });
    expect(strict.isPermanent(new RangeError('out of stock'))).toBe(true);
    expect(strict.decide('q', 1, new RangeError('out of stock'))).toMatchObject({ action: 'park' });
    expect(strict.decide('q', 1, new Error('timeout'))).toMatchObject({ action: 'retry' });
  });

  it('without delays, parks every failure', () => {
    expect(retryPolicy().decide('q', 1, new Error('timeout'))).toEqual({ action: 'park', queue: 'q.dlq', attempt: 1 });
  });

  it('throws DeliveryLimitError once a message was handed out deliveryLimit times unsettled', () => {
    expect(() => assertWithinDeliveryLimit(policy, 4)).not.toThrow();
    expect(() => assertWithinDeliveryLimit(policy, 5)).toThrow(DeliveryLimitError);
    expect(() => assertWithinDeliveryLimit(retryPolicy(), 1_000)).not.toThrow();
  });

  it('refuses delays or limits that are not whole and positive', () => {
    expect(() => retryPolicy({ delaysMs: [100, -1] })).toThrow(/whole milliseconds/);
    expect(() => retryPolicy({ deliveryLimit: 0 })).toThrow(/delivery limit/);
  });
});
