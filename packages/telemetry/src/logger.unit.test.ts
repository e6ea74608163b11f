import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines carrying the service, version and a string level', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'catalog', version: '1.2.3', destination: stream });
    logger.info({ itemId: 'a' }, 'item created');
    expect(lines[0]).toMatchObject({ service: 'catalog', version: '1.2.3', level: 'info', itemId: 'a', msg: 'item created' });
    expect(typeof lines[0]?.['time']).toBe('string');
  });

  it('redacts authorization headers and secrets', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'catalog', destination: stream });
    logger.info({ headers: { authorization: 'Bearer abc' }, password: 'hunter2' }, 'request');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('Bearer abc');
    expect(line).not.toContain('hunter2');
    expect(line).toContain('[redacted]');
  });
});
