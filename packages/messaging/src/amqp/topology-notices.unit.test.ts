import { describe, expect, it } from 'vitest';
import { parseArgumentMismatch } from './declare-queue.ts';
import { adviceFor, staleDelayQueueNotice } from './topology-notices.ts';
import type { QueueSpec } from './topology.ts';

const spec: QueueSpec = { queue: 'audit.event-log', bindings: ['#'], retryDelaysMs: [200], deliveryLimit: 5 };

/** The text RabbitMQ 3.10.8 sends with PRECONDITION_FAILED, as amqplib wraps it. */
function brokerText(queue: string, argument: string, received: string, current: string): string {
  return `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg '${argument}' for queue '${queue}' in vhost '/': received ${received} but current is ${current}"`;
}

describe('topology notices', () => {
  it('reads the argument and both values out of the broker text', () => {
    const text = brokerText('audit.event-log.retry.1', 'x-message-ttl', 'none', "the value '1000' of type 'long'");
    expect(parseArgumentMismatch('audit.event-log.retry.1', text)).toEqual({ queue: 'audit.event-log.retry.1', argument: 'x-message-ttl', declared: 'none', current: '1000' });
    const limit = brokerText('audit.event-log', 'x-delivery-limit', "'1000'", "'3'");
    expect(parseArgumentMismatch('audit.event-log', limit)).toMatchObject({ argument: 'x-delivery-limit', declared: '1000', current: '3' });
    expect(parseArgumentMismatch('q', 'NOT_FOUND - no queue')).toBeUndefined();
  });

  it('explains a delay queue kept with a fixed TTL and how to drop it', () => {
    const notice = adviceFor({ queue: 'audit.event-log.retry.1', argument: 'x-message-ttl', declared: 'none', current: '1000' }, spec);
    expect(notice).toMatchObject({ level: 'warn', setting: 'RETRY_DELAYS_MS', current: '1000' });
    expect(notice.message).toContain('rabbitmqctl delete_queue audit.event-log.retry.1');
  });

  it('warns when a kept broker delivery limit is below DELIVERY_LIMIT, and only informs when above', () => {
    const below = adviceFor({ queue: spec.queue, argument: 'x-delivery-limit', declared: '1000', current: '3' }, spec);
    expect(below).toMatchObject({ level: 'warn', setting: 'DELIVERY_LIMIT' });
    expect(below.message).toContain(`rabbitmqctl set_policy --apply-to queues audit.event-log-delivery-limit '^audit\\.event-log$' '{"delivery-limit": 5}'`);
    expect(adviceFor({ queue: spec.queue, argument: 'x-delivery-limit', declared: '1000', current: '20' }, spec)).toMatchObject({ level: 'info' });
  });

  it('names any other kept argument with both values', () => {
    const notice = adviceFor({ queue: spec.queue, argument: 'x-overflow', declared: 'reject-publish', current: 'drop-head' }, spec);
    expect(notice).toMatchObject({ level: 'warn', argument: 'x-overflow' });
    expect(notice.message).toContain('drop-head');
  });

  it('reports a delay queue past the end of the list as left in place', () => {
    expect(staleDelayQueueNotice(spec, 'audit.event-log.retry.2').message).toContain('return to audit.event-log');
  });
});
