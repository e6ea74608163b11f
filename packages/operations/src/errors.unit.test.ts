import { describe, expect, it } from 'vitest';
import { describeError, OperationsError } from './errors.ts';

describe('OperationsError', () => {
  it.each([
    ['queue_not_found', 404],
    ['message_not_found', 404],
    ['unavailable', 503],
    ['invalid_data', 422],
    ['refused', 409],
    ['tool_failed', 500],
  ] as const)('maps %s to HTTP %i', (code, status) => {
    expect(new OperationsError(code, 'x')).toMatchObject({ code, status, message: 'x', issues: [] });
  });

  it('keeps its cause and the issues of invalid data', () => {
    const cause = new Error('inner');
    const error = new OperationsError('invalid_data', 'bad', { cause, issues: ['sku: Too small'] });
    expect(error.cause).toBe(cause);
    expect(error.issues).toEqual(['sku: Too small']);
    expect(describeError(error)).toBe('bad: inner');
  });
});
