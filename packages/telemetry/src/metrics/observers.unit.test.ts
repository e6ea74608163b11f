import { describe, expect, it } from 'vitest';
import { metricObservers } from './observers.ts';
import { createMetricsRegistry } from './registry.ts';

describe('consumer metric observer', () => {
  it("shows an attached handler's consumed counters at 0 before its first delivery", async () => {
    const metrics = createMetricsRegistry({ service: 'inventory' });
    metricObservers(metrics).consumer.attached('inventory.item-created');
    const text = await metrics.registry.metrics();
    for (const result of ['applied', 'duplicate', 'retried', 'dead_lettered', 'requeued']) {
      expect(text).toContain(`warren_messages_consumed_total{handler="inventory.item-created",result="${result}",service="inventory"} 0`);
    }
  });
});
