import { describe, expect, it } from 'vitest';
import { boundHeaders, headerBudgetBytes, tableSize, truncatedHeader } from './header-budget.ts';

const own = { 'x-warren-attempt': 1, 'x-warren-error-message': 'boom' };

describe('boundHeaders', () => {
  it('keeps every header when the table fits', () => {
    const optional = { correlation_id: 'c-1', 'x-app': 'a' };
    expect(boundHeaders(own, optional, ['correlation_id'])).toEqual({ ...own, ...optional });
  });

  it('leaves off what does not fit and names it with its size, keeping smaller headers after it', () => {
    const optional = { huge: 'x'.repeat(100_000), small: 's', correlation_id: 'c-1' };
    const headers = boundHeaders(own, optional, ['correlation_id']);
    expect(headers).toMatchObject({ ...own, small: 's', correlation_id: 'c-1' });
    expect(headers).not.toHaveProperty('huge');
    expect(headers[truncatedHeader]).toBe('huge=100010');
    expect(tableSize(headers)).toBeLessThanOrEqual(headerBudgetBytes);
  });

  it('keeps the contract headers before the producer’s others', () => {
    const optional = { first: 'f'.repeat(900), traceparent: 't'.repeat(900) };
    const headers = boundHeaders({}, optional, ['traceparent'], 2_600);
    expect(headers).toHaveProperty('traceparent');
    expect(headers).not.toHaveProperty('first');
  });

  it('stays within the budget for many headers and bounds the marker', () => {
    const optional = Object.fromEntries(Array.from({ length: 2_000 }, (_, index) => [`x-app-${index}`, 'v'.repeat(100)]));
    const headers = boundHeaders(own, optional, []);
    expect(tableSize(headers)).toBeLessThanOrEqual(headerBudgetBytes);
    expect(String(headers[truncatedHeader])).toMatch(/,\+\d+ more$/);
    expect(Buffer.byteLength(String(headers[truncatedHeader]))).toBeLessThanOrEqual(1_024);
  });
});

describe('tableSize', () => {
  it('counts nested tables, arrays and buffers', () => {
    // 4 (length) + 1+1 name + 1 type + 4+1 table + (1+1 name + 5+2 string) ...
    expect(tableSize({ a: 'xy' })).toBe(4 + 1 + 1 + 5 + 2);
    expect(tableSize({ a: [1, 'x'] })).toBe(4 + 1 + 1 + 5 + 9 + 6);
    expect(tableSize({ a: Buffer.alloc(10) })).toBe(4 + 1 + 1 + 5 + 10);
    expect(tableSize({ a: { b: true } })).toBe(4 + 1 + 1 + 1 + 4 + 1 + 1 + 2);
  });
});
