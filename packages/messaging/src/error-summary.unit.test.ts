import { describe, expect, it } from 'vitest';
import { errorCode, errorMessage, errorMessageMaxLength } from './error-summary.ts';

function postgresError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function drizzleError(cause: Error): Error {
  const query = `insert into "stock" ("id", "name") values ${'($1, $2), '.repeat(300)}`;
  return new Error(`Failed query: ${query}\nparams: ${'p,'.repeat(200)}`, { cause });
}

describe('errorMessage', () => {
  it('keeps the database reason and its SQLSTATE past a long query text', () => {
    const message = errorMessage(drizzleError(postgresError('invalid byte sequence for encoding "UTF8": 0x00', '22P05')));
    expect(message.length).toBeLessThanOrEqual(errorMessageMaxLength);
    expect(message).toMatch(/^Failed query: insert into "stock"/);
    expect(message).toMatch(/… \(cause: invalid byte sequence for encoding "UTF8": 0x00 \[22P05\]\)$/);
  });

  it('is the message alone when it has no cause and fits', () => {
    expect(errorMessage(new Error('database timeout'))).toBe('database timeout');
  });

  it('stays within the cap however long the causes are', () => {
    let error = new Error('e'.repeat(5_000));
    for (let depth = 0; depth < 4; depth += 1) error = new Error('w'.repeat(5_000), { cause: error });
    expect(errorMessage(error).length).toBeLessThanOrEqual(errorMessageMaxLength);
  });
});

describe('errorCode', () => {
  it('takes the code from the cause chain when the wrapper has none', () => {
    expect(errorCode(drizzleError(postgresError('bad', '22P05')))).toBe('22P05');
  });

  it('prefers the outermost code', () => {
    expect(errorCode(Object.assign(new Error('x', { cause: postgresError('bad', '23505') }), { code: 'conflict' }))).toBe('conflict');
  });

  it('is undefined when no error in the chain has a string code', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 5 }))).toBeUndefined();
  });
});
