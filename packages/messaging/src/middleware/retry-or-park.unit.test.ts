import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.ts';
import { failureHeader } from '../failure-headers.ts';
import { deliveryOf, itemCreatedEvent, silentLogger } from '../pipeline/delivery.test-support.ts';
import type { MessageProperties } from '../pipeline/delivery.ts';
import { retryPolicy } from '../retry-policy.ts';
import { retryOrPark } from './retry-or-park.ts';

function recordingControl(fail = false) {
  const sent: { queue: string; content: Buffer; properties: MessageProperties }[] = [];
  return {
    sent,
    send: async (queue: string, content: Buffer, properties: MessageProperties) => {
      if (fail) throw new Error('channel closed');
      sent.push({ queue, content, properties });
    },
  };
}

describe('retry-or-park', () => {
  const policy = retryPolicy({ delaysMs: [250] });

  it('passes a success through and sends nothing', async () => {
    const control = recordingControl();
    const settlement = await retryOrPark(policy, control, silentLogger)(async () => ({ result: 'applied' }))(deliveryOf(itemCreatedEvent()));
    expect(settlement).toEqual({ result: 'applied' });
    expect(control.sent).toEqual([]);
  });

  it('sends a transient failure to the delay queue with its delay, the next attempt and the failure headers', async () => {
    const control = recordingControl();
    const delivery = deliveryOf(itemCreatedEvent());
    const settlement = await retryOrPark(policy, control, silentLogger)(async () => {
      throw new Error('timeout');
    })(delivery);
    expect(settlement).toMatchObject({ result: 'retried', toQueue: 'inventory.item-created.retry.1', attempt: 1 });
    const [copy] = control.sent;
    expect(copy?.queue).toBe('inventory.item-created.retry.1');
    expect(copy?.content.equals(delivery.message.content)).toBe(true);
    expect(copy?.properties).toMatchObject({ expiration: '250', deliveryMode: 2, messageId: delivery.message.properties.messageId });
    expect(copy?.properties.headers).toMatchObject({ [failureHeader.attempt]: 2, [failureHeader.errorMessage]: 'timeout', [failureHeader.originalExchange]: 'events' });
  });

  it('parks a permanent failure, and a transient one with no retry left', async () => {
    const control = recordingControl();
    const park = retryOrPark(policy, control, silentLogger);
    const permanent = await park(async () => {
      throw new PermanentError('bad data', { code: 'invalid_data' });
    })(deliveryOf(itemCreatedEvent()));
    const spent = await park(async () => {
      throw new Error('timeout');
    })(deliveryOf(itemCreatedEvent(), { exchange: '', headers: { [failureHeader.attempt]: 2 } }));
    expect([permanent.result, spent.result]).toEqual(['dead_lettered', 'dead_lettered']);
    expect(control.sent.map((copy) => [copy.queue, copy.properties.expiration, copy.properties.headers?.[failureHeader.attempt]])).toEqual([
      ['inventory.item-created.dlq', undefined, 1],
      ['inventory.item-created.dlq', undefined, 2],
    ]);
    expect(control.sent[0]?.properties.headers?.[failureHeader.errorCode]).toBe('invalid_data');
  });

  it('returns the delivery to its queue when the copy cannot be sent, so nothing is lost', async () => {
    const settlement = await retryOrPark(policy, recordingControl(true), silentLogger)(async () => {
      throw new Error('timeout');
    })(deliveryOf(itemCreatedEvent()));
    expect(settlement.result).toBe('requeued');
    expect(settlement.error).toBeInstanceOf(Error);
  });
});
