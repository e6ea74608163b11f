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

  it('counts each delivery under its own handler and result, and times applied ones end to end', async () => {
    const metrics = createMetricsRegistry({ service: 'audit' });
    const consumer = metricObservers(metrics).consumer;
    consumer.consumed({ handler: 'audit.event-log', result: 'applied', seconds: 0.002, endToEndSeconds: 0.5 });
    consumer.consumed({ handler: 'audit.event-log', result: 'applied', seconds: 0.003, endToEndSeconds: 0.7 });
    consumer.consumed({ handler: 'audit.event-log', result: 'retried', seconds: 0.004 });
    consumer.consumed({ handler: 'inventory.item-created', result: 'applied', seconds: 0.001, endToEndSeconds: 0.1 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('warren_messages_consumed_total{handler="audit.event-log",result="applied",service="audit"} 2');
    expect(text).toContain('warren_messages_consumed_total{handler="audit.event-log",result="retried",service="audit"} 1');
    expect(text).toContain('warren_messages_consumed_total{handler="inventory.item-created",result="applied",service="audit"} 1');
    expect(text).toContain('warren_message_processing_seconds_count{service="audit",handler="audit.event-log",result="retried"} 1');
    expect(text).toContain('warren_event_end_to_end_seconds_count{service="audit",handler="audit.event-log"} 2');
    expect(text).toContain('warren_event_end_to_end_seconds_sum{service="audit",handler="audit.event-log"} 1.2');
    expect(text).toContain('warren_event_end_to_end_seconds_count{service="audit",handler="inventory.item-created"} 1');
  });
});
