import { describe, expect, it } from 'vitest';
import type { HeldMessage } from './held-message.ts';
import { matches, originQueue, replayProperties, summarize } from './parked-message.ts';

const envelope = { id: '0197a3b0-0000-7000-8000-000000000001', type: 'item.created', version: 1, subject: 's-1', data: {} };

function held(headers: Record<string, unknown>, exchange = '', properties: Partial<HeldMessage['properties']> = {}): HeldMessage {
  return {
    content: Buffer.from(JSON.stringify(envelope)),
    properties: { messageId: envelope.id, type: 'item.created.v1', correlationId: 'corr-1', contentType: 'application/json', deliveryMode: 2, timestamp: 1_750_000_000, headers, ...properties },
    exchange,
    routingKey: exchange === '' ? 'inventory.item-created.dlq' : 'inventory.item-created',
  };
}

const parkedByWarren = {
  correlation_id: 'corr-1',
  'x-warren-attempt': 3,
  'x-warren-error-type': 'Error',
  'x-warren-error-message': 'database timeout',
  'x-warren-last-failure-at': '2025-06-01T10:00:00.000Z',
  'x-warren-original-routing-key': 'item.created.v1',
  'x-warren-queue': 'inventory.item-created',
  // Left by the delay queue it expired from on its way back.
  'x-first-death-queue': 'inventory.item-created.retry.1',
  'x-first-death-reason': 'expired',
  'x-death': [{ count: 1, reason: 'expired', queue: 'inventory.item-created.retry.1', time: { '!': 'timestamp', value: 1_748_772_000 } }],
};

const deadLetteredByBroker = {
  'x-first-death-queue': 'inventory.item-created',
  'x-first-death-reason': 'delivery_limit',
  'x-death': [{ count: 1, reason: 'delivery_limit', queue: 'inventory.item-created', time: { '!': 'timestamp', value: 1_748_772_000 } }],
};

describe('summarize', () => {
  it('reads the failure a consumer wrote into x-warren-* headers', () => {
    expect(summarize(held(parkedByWarren), 'inventory.item-created.dlq')).toEqual({
      id: envelope.id,
      type: 'item.created.v1',
      deadLetterQueue: 'inventory.item-created.dlq',
      queue: 'inventory.item-created',
      parkedBy: 'warren',
      error: 'Error: database timeout',
      attempts: 3,
      failedAt: '2025-06-01T10:00:00.000Z',
      replayCount: 0,
    });
  });

  it('reads a broker dead-letter from x-death and x-first-death-* headers', () => {
    expect(summarize(held(deadLetteredByBroker, 'events.dead-letter'), 'inventory.item-created.dlq')).toMatchObject({
      queue: 'inventory.item-created',
      parkedBy: 'broker',
      error: 'delivery_limit (dead-lettered by the broker)',
      attempts: null,
      failedAt: '2025-06-01T10:00:00.000Z',
    });
  });

  it('trusts the arrival exchange over old headers: a replayed message the broker dead-lettered again', () => {
    const summary = summarize(held({ ...parkedByWarren, ...deadLetteredByBroker, 'x-warren-replay-count': 2 }, 'events.dead-letter'), 'inventory.item-created.dlq');
    expect(summary).toMatchObject({ parkedBy: 'broker', replayCount: 2, queue: 'inventory.item-created' });
    expect(summary.error).toBe('delivery_limit (dead-lettered by the broker; last handler error Error: database timeout)');
  });

  it('falls back to the body for the id and type of a message without properties', () => {
    const summary = summarize(held({}, '', { messageId: undefined, type: undefined }), 'audit.event-log.dlq');
    expect(summary).toMatchObject({ id: envelope.id, type: 'item.created', queue: 'audit.event-log', error: 'no failure headers' });
  });
});

describe('originQueue', () => {
  it('prefers x-warren-queue, then x-first-death-queue, then the dead-letter queue name without .dlq', () => {
    expect(originQueue({ 'x-warren-queue': 'a.b', 'x-first-death-queue': 'c.d' }, 'e.f.dlq')).toBe('a.b');
    expect(originQueue({ 'x-first-death-queue': 'c.d' }, 'e.f.dlq')).toBe('c.d');
    expect(originQueue({}, 'e.f.dlq')).toBe('e.f');
  });
});

describe('matches', () => {
  const message = held(parkedByWarren);
  const summary = summarize(message, 'inventory.item-created.dlq');
  it.each([
    [{}, true],
    [{ id: envelope.id }, true],
    [{ id: 'other' }, false],
    [{ type: 'item.created' }, true],
    [{ type: 'item.created.v1' }, true],
    [{ type: 'stock.adjusted' }, false],
    [{ error: 'TIMEOUT' }, true],
    [{ error: 'refused' }, false],
    [{ type: 'item.created', error: 'refused' }, false],
  ])('filter %j → %s', (filter, expected) => {
    expect(matches(message, summary, filter)).toBe(expected);
  });
});

describe('replayProperties', () => {
  const now = new Date('2025-06-02T08:00:00.000Z');

  it('keeps every property and header, resets the attempt and counts the replay', () => {
    const original = held({ ...parkedByWarren, 'x-delivery-count': 4 }).properties;
    const replayed = replayProperties(original, now);
    const { 'x-delivery-count': _dropped, ...kept } = original.headers;
    expect(replayed).toEqual({
      ...original,
      headers: { ...kept, 'x-warren-attempt': 1, 'x-warren-replay-count': 1, 'x-warren-replayed-at': '2025-06-02T08:00:00.000Z' },
    });
    expect(replayProperties(replayed, now).headers['x-warren-replay-count']).toBe(2);
  });
});
