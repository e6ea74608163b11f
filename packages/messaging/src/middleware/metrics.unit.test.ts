import { describe, expect, it } from 'vitest';
import type { ConsumerObservation } from '../observer.ts';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import { metrics } from './metrics.ts';

describe('metrics', () => {
  it('shows the handler at attach, then reports each settlement with its time and, when applied, the end-to-end latency', async () => {
    const attached: string[] = [];
    const seen: ConsumerObservation[] = [];
    const stage = metrics('audit.event-log', { attached: (handler) => attached.push(handler), consumed: (observation) => seen.push(observation) });
    expect(attached).toEqual(['audit.event-log']);
    const event = itemCreatedEvent();
    const eventTimestamp = new Date(Date.now() - 2_000).toISOString();
    await stage(async () => ({ result: 'applied', eventTimestamp }))(deliveryOf(event));
    await stage(async () => ({ result: 'requeued', error: new Error('down') }))(deliveryOf(event));
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ handler: 'audit.event-log', result: 'applied' });
    expect(seen[0]?.endToEndSeconds).toBeGreaterThanOrEqual(2);
    expect(seen[0]?.seconds).toBeGreaterThanOrEqual(0);
    expect(seen[1]).toMatchObject({ result: 'requeued' });
    expect(seen[1]).not.toHaveProperty('endToEndSeconds');
  });
});
