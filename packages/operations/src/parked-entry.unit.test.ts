import { describe, expect, it } from 'vitest';
import type { HeldMessage } from './held-message.ts';
import { describeParked, stackTopFrame, summaryOf } from './parked-entry.ts';

const envelope = { id: '0197a3b0-0000-7000-8000-000000000001', type: 'item.created', version: 1, subject: 'item-7', data: { name: 'Lamp' } };

function held(headers: Record<string, unknown>, exchange = '', content: string = JSON.stringify(envelope)): HeldMessage {
  return {
    content: Buffer.from(content),
    properties: { messageId: envelope.id, type: 'item.created.v1', correlationId: 'corr-1', contentType: 'application/json', deliveryMode: 2, timestamp: 1_750_000_000, headers },
    exchange,
    routingKey: exchange === '' ? 'inventory.item-created.dlq' : 'inventory.item-created',
  };
}

describe('describeParked', () => {
  it('takes apart a failure a consumer parked, with the event and the whole message', () => {
    const entry = describeParked(
      held({
        correlation_id: 'corr-1',
        'x-warren-attempt': 3,
        'x-warren-error-type': 'PermanentError',
        'x-warren-error-code': 'invalid_data',
        'x-warren-error-message': 'data breaks its schema',
        'x-warren-error-stack': 'PermanentError: data breaks its schema\n    at decode (/app/packages/messaging/src/decode.ts:30:9)\n    at handler (x.ts:1:1)',
        'x-warren-first-failure-at': '2025-06-01T09:00:00.000Z',
        'x-warren-last-failure-at': '2025-06-01T10:00:00.000Z',
        'x-warren-original-routing-key': 'item.created.v1',
        'x-warren-queue': 'inventory.item-created',
        'x-warren-replay-count': 2,
      }),
      'inventory.item-created.dlq',
    );
    expect(entry).toMatchObject({
      id: envelope.id,
      eventType: 'item.created',
      eventVersion: 1,
      routingKey: 'item.created.v1',
      subject: 'item-7',
      correlationId: 'corr-1',
      deadLetterQueue: 'inventory.item-created.dlq',
      queue: 'inventory.item-created',
      service: 'inventory',
      parkedBy: 'warren',
      errorType: 'PermanentError',
      errorCode: 'invalid_data',
      errorMessage: 'data breaks its schema',
      stackTopFrame: 'decode (/app/packages/messaging/src/decode.ts:30:9)',
      attempts: 3,
      replayCount: 2,
      firstFailureAt: '2025-06-01T09:00:00.000Z',
      lastFailureAt: '2025-06-01T10:00:00.000Z',
      death: null,
      body: envelope,
      arrival: { exchange: '', routingKey: 'inventory.item-created.dlq' },
    });
    expect(entry.properties).toEqual({ messageId: envelope.id, type: 'item.created.v1', correlationId: 'corr-1', contentType: 'application/json', deliveryMode: 2, timestamp: 1_750_000_000 });
    expect(entry.headers['x-warren-replay-count']).toBe(2);
    expect(summaryOf(entry)).toEqual({
      id: envelope.id,
      type: 'item.created.v1',
      deadLetterQueue: 'inventory.item-created.dlq',
      queue: 'inventory.item-created',
      parkedBy: 'warren',
      error: 'PermanentError [invalid_data]: data breaks its schema',
      attempts: 3,
      failedAt: '2025-06-01T10:00:00.000Z',
      replayCount: 2,
    });
  });

  it('shows a broker dead-letter by its x-death, without handler error fields', () => {
    const entry = describeParked(
      held(
        {
          'x-first-death-queue': 'audit.event-log',
          'x-first-death-reason': 'delivery_limit',
          'x-death': [{ count: 1, reason: 'delivery_limit', queue: 'audit.event-log', time: { '!': 'timestamp', value: 1_748_772_000 }, 'routing-keys': ['item.created.v1'] }],
        },
        'events.dead-letter',
      ),
      'audit.event-log.dlq',
    );
    expect(entry).toMatchObject({
      parkedBy: 'broker',
      queue: 'audit.event-log',
      service: 'audit',
      routingKey: 'item.created.v1',
      errorType: null,
      errorCode: null,
      errorMessage: null,
      stackTopFrame: null,
      death: { reason: 'delivery_limit', count: 1, queue: 'audit.event-log', time: '2025-06-01T10:00:00.000Z' },
      firstFailureAt: '2025-06-01T10:00:00.000Z',
      lastFailureAt: '2025-06-01T10:00:00.000Z',
    });
    expect(entry.headers['x-death']).toEqual([{ count: 1, reason: 'delivery_limit', queue: 'audit.event-log', time: '2025-06-01T10:00:00.000Z', 'routing-keys': ['item.created.v1'] }]);
  });

  it('keeps a body that is not JSON as text', () => {
    const entry = describeParked(held({}, '', 'not json'), 'audit.event-log.dlq');
    expect(entry).toMatchObject({ body: 'not json', bodyBytes: 8, eventType: null, subject: null });
  });
});

describe('stackTopFrame', () => {
  it('is the first at-line without its at, or null', () => {
    expect(stackTopFrame('Error: x\n    at async handler (a.ts:1:2)\n    at b (b.ts:3:4)')).toBe('async handler (a.ts:1:2)');
    expect(stackTopFrame('Error: no frames')).toBeNull();
    expect(stackTopFrame(undefined)).toBeNull();
  });
});
