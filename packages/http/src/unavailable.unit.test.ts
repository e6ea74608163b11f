import { describe, expect, it } from 'vitest';
import { isUnavailableError } from './unavailable.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isUnavailableError', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', '08006', '08001', '57P01', '57P02', '57P03', '53300'])(
    'treats %s as unavailability',
    (code) => {
      expect(isUnavailableError(withCode(code))).toBe(true);
    },
  );

  it('finds the driver error under wrappers and inside an AggregateError', () => {
    const aggregate = new AggregateError([withCode('ECONNREFUSED')], 'connect failed');
    expect(isUnavailableError(new Error('Failed query', { cause: aggregate }))).toBe(true);
  });

  it.each(['23505', '42P01', '40001', 'ENOENT'])('does not treat %s as unavailability', (code) => {
    expect(isUnavailableError(withCode(code))).toBe(false);
    expect(isUnavailableError(new Error('plain'))).toBe(false);
  });
});
