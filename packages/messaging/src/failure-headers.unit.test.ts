import { describe, expect, it } from 'vitest';
import type { RawDelivery } from './decode.ts';
import { attemptOf, failureHeader, failureHeaders, trustedHeaders } from './failure-headers.ts';
import { headerBudgetBytes, tableSize, truncatedHeader } from './header-budget.ts';

const now = new Date('2025-06-01T10:00:00.000Z');
const original = { exchange: 'events', routingKey: 'item.created.v1' };

function delivery(headers: Record<string, unknown>, attempt = 1): RawDelivery {
  return { content: Buffer.from('{}'), headers, correlationId: undefined, queue: 'inventory.item-created', routingKey: 'item.created.v1', redelivered: false, attempt };
}

describe('trustedHeaders', () => {
  const headers = { 'x-warren-attempt': 7, 'X-Warren-Original-Routing-Key': 'evil.v1', correlation_id: 'c-1', 'x-death': [] };

  it('drops every x-warren-* header of a delivery from the events exchange', () => {
    expect(trustedHeaders(headers, 'events')).toEqual({ correlation_id: 'c-1', 'x-death': [] });
  });

  it('keeps them on a delivery back through the default exchange (delay queue, dlq replay)', () => {
    expect(trustedHeaders(headers, '')).toEqual(headers);
  });
});

describe('attemptOf', () => {
  it.each([[{}, 1], [{ 'x-warren-attempt': 3 }, 3], [{ 'x-warren-attempt': 0 }, 1], [{ 'x-warren-attempt': 'x' }, 1]])('reads %j as attempt %i', (headers, attempt) => {
    expect(attemptOf(headers)).toBe(attempt);
  });
});

describe('failureHeaders', () => {
  it('fits a delivery with oversized headers within the budget, keeping Warren’s and the contract headers', () => {
    const raw = delivery({ correlation_id: 'c-1', 'x-app-blob': 'b'.repeat(100_000), 'x-delivery-count': 2 });
    const headers = failureHeaders(raw, original, new Error('boom'), now);
    expect(tableSize(headers)).toBeLessThanOrEqual(headerBudgetBytes);
    expect(headers).toMatchObject({ correlation_id: 'c-1', [failureHeader.errorMessage]: 'boom', [failureHeader.originalRoutingKey]: 'item.created.v1' });
    expect(headers[truncatedHeader]).toMatch(/^x-app-blob=\d+$/);
    expect(headers).not.toHaveProperty('x-delivery-count');
  });

  it('carries the SQLSTATE of a wrapped database error as the code and in the message', () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22P05' });
    const error = new Error(`Failed query: insert into "stock" values ${'($1), '.repeat(500)}`, { cause });
    const headers = failureHeaders(delivery({}), original, error, now);
    expect(headers[failureHeader.errorCode]).toBe('22P05');
    expect(headers[failureHeader.errorMessage]).toMatch(/invalid byte sequence .* \[22P05\]\)$/);
  });

  it('keeps the first failure and original route of a retried delivery but not its earlier error code', () => {
    const raw = delivery({ [failureHeader.firstFailureAt]: '2025-05-01T00:00:00.000Z', [failureHeader.originalRoutingKey]: 'item.created.v1', [failureHeader.errorCode]: 'old' }, 2);
    const headers = failureHeaders(raw, { exchange: '', routingKey: 'inventory.item-created' }, new Error('later'), now);
    expect(headers).toMatchObject({ [failureHeader.firstFailureAt]: '2025-05-01T00:00:00.000Z', [failureHeader.originalRoutingKey]: 'item.created.v1', [failureHeader.attempt]: 2 });
    expect(headers).not.toHaveProperty(failureHeader.errorCode);
  });
});
