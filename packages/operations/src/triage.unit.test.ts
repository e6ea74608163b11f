import { describe, expect, it } from 'vitest';
import type { ParkedEntry } from './parked-entry.ts';
import { groupParked, searchParked } from './triage.ts';

let next = 0;
function entry(overrides: Partial<ParkedEntry>): ParkedEntry {
  next += 1;
  return {
    id: `id-${next}`,
    type: 'item.created.v1',
    deadLetterQueue: 'inventory.item-created.dlq',
    queue: 'inventory.item-created',
    parkedBy: 'warren',
    error: 'Error: boom',
    attempts: 1,
    failedAt: '2025-06-01T10:00:00.000Z',
    replayCount: 0,
    eventType: 'item.created',
    eventVersion: 1,
    routingKey: 'item.created.v1',
    subject: `subject-${next}`,
    correlationId: `corr-${next}`,
    service: 'inventory',
    errorType: 'Error',
    errorCode: null,
    errorMessage: 'boom',
    stackTopFrame: 'handler (apps/inventory/src/handlers/item-created.ts:12:11)',
    firstFailureAt: '2025-06-01T10:00:00.000Z',
    lastFailureAt: '2025-06-01T10:00:00.000Z',
    death: null,
    body: { id: `id-${next}`, data: { name: 'Lamp' } },
    bodyBytes: 40,
    properties: {},
    headers: {},
    arrival: { exchange: '', routingKey: 'inventory.item-created.dlq' },
    ...overrides,
  };
}

const timeout = (ms: number, at: string) => entry({ errorMessage: `timeout after ${ms}ms`, error: `Error: timeout after ${ms}ms`, firstFailureAt: at, lastFailureAt: at, failedAt: at });

describe('groupParked', () => {
  const early = timeout(5000, '2025-06-01T08:00:00.000Z');
  const late = timeout(7000, '2025-06-01T12:00:00.000Z');
  const refused = entry({ errorType: 'PermanentError', errorMessage: 'refused', type: 'stock.adjusted.v1', queue: 'audit.event-log', service: 'audit', deadLetterQueue: 'audit.event-log.dlq' });
  const entries = [early, refused, late];

  it('groups by fingerprint, largest first, with count, first and last seen and the latest as sample', () => {
    const [timeouts, refusals, ...rest] = groupParked(entries, 'fingerprint');
    expect(rest).toEqual([]);
    expect(timeouts).toMatchObject({ by: 'fingerprint', title: 'Error: timeout after <n>ms', count: 2, firstSeen: early.firstFailureAt, lastSeen: late.lastFailureAt, ids: [early.id, late.id] });
    expect(timeouts?.key).toMatch(/^[0-9a-f]{12}$/);
    expect(timeouts?.sample).toBe(late);
    expect(refusals).toMatchObject({ title: 'PermanentError: refused', count: 1, ids: [refused.id] });
  });

  it.each([
    ['type', ['item.created.v1', 'stock.adjusted.v1']],
    ['queue', ['inventory.item-created', 'audit.event-log']],
    ['service', ['inventory', 'audit']],
  ] as const)('groups by %s', (by, keys) => {
    const groups = groupParked(entries, by);
    expect(groups.map((group) => group.key)).toEqual(keys);
    expect(groups.map((group) => group.count)).toEqual([2, 1]);
  });

  it('has no groups for no messages', () => {
    expect(groupParked([], 'service')).toEqual([]);
  });
});

describe('searchParked', () => {
  const lamp = entry({ body: { data: { name: 'Brass lamp' } }, lastFailureAt: '2025-06-01T09:00:00.000Z' });
  const chair = entry({ errorMessage: 'SKU conflict', error: 'Error: SKU conflict', body: { data: { name: 'Chair' } }, lastFailureAt: '2025-06-01T11:00:00.000Z' });
  const crashed = entry({ parkedBy: 'broker', errorType: null, errorMessage: null, error: 'delivery_limit (dead-lettered by the broker)', queue: 'audit.event-log', deadLetterQueue: 'audit.event-log.dlq', type: 'stock.adjusted.v1', routingKey: 'stock.adjusted.v1', eventType: 'stock.adjusted', lastFailureAt: null });
  const entries = [lamp, chair, crashed];
  const ids = (found: ParkedEntry[]) => found.map((found) => found.id);

  it.each([
    ['nothing', {}, () => [lamp, chair, crashed]],
    ['id', { id: chair.id ?? '' }, () => [chair]],
    ['correlation id', { correlationId: lamp.correlationId ?? '' }, () => [lamp]],
    ['subject', { subject: chair.subject ?? '' }, () => [chair]],
    ['event type', { type: 'stock.adjusted' }, () => [crashed]],
    ['routing key', { type: 'item.created.v1' }, () => [lamp, chair]],
    ['failing queue', { queue: 'audit.event-log' }, () => [crashed]],
    ['dead-letter queue', { queue: 'inventory.item-created.dlq' }, () => [lamp, chair]],
    ['time range [from, to)', { from: new Date('2025-06-01T09:00:00.000Z'), to: new Date('2025-06-01T11:00:00.000Z') }, () => [lamp]],
    ['text in the error, any case', { text: 'sku CONFLICT' }, () => [chair]],
    ['text in the body', { text: 'brass' }, () => [lamp]],
    ['text in a broker reason', { text: 'delivery_limit' }, () => [crashed]],
    ['every field at once', { type: 'item.created', text: 'lamp', to: new Date('2025-06-01T10:00:00.000Z') }, () => [lamp]],
  ])('finds by %s', (_name, query, expected) => {
    expect(ids(searchParked(entries, query))).toEqual(ids(expected()));
  });

  it('finds nothing when a field matches no message', () => {
    expect(searchParked(entries, { text: 'no such words' })).toEqual([]);
  });
});
