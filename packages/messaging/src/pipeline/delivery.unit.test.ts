import { describe, expect, it } from 'vitest';
import { deliveryOf, itemCreatedEvent } from './delivery.test-support.ts';

describe('toDelivery', () => {
  it.each([
    [{}, 0],
    [{ 'x-delivery-count': 2 }, 2],
    [{ 'x-delivery-count': 1, 'x-acquired-count': 4 }, 4],
    [{ 'x-delivery-count': 'three', 'x-acquired-count': 2 }, 2],
    [{ 'x-delivery-count': 1.5 }, 0],
    [{ 'x-delivery-count': -2 }, 0],
  ])('counts the earlier deliveries from %o as %i', (headers, count) => {
    expect(deliveryOf(itemCreatedEvent(), { headers }).deliveryCount).toBe(count);
  });

  it("drops a producer's x-warren-* headers, whatever their case, and keeps every other header", () => {
    const delivery = deliveryOf(itemCreatedEvent(), { headers: { 'x-warren-attempt': 3, 'X-Warren-Queue': 'q', 'x-warrenish': 'kept' } });
    expect(delivery.raw.headers).toEqual({ correlation_id: 'corr-1', source_service: 'catalog', 'x-warrenish': 'kept' });
    expect(delivery.raw.attempt).toBe(1);
  });

  it('keeps the x-warren-* headers of a copy that came back through the default exchange', () => {
    const delivery = deliveryOf(itemCreatedEvent(), { exchange: '', headers: { 'x-warren-attempt': 3 } });
    expect(delivery.raw.headers['x-warren-attempt']).toBe(3);
    expect(delivery.raw.attempt).toBe(3);
  });
});
