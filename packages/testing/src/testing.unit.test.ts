import { describe, expect, it } from 'vitest';
import { waitFor, withDatabase } from './index.ts';

describe('waitFor', () => {
  it('resolves with the first value the probe yields', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('treats a throwing probe as not yet and times out naming what it waited for', async () => {
    const failing = waitFor(
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the database' },
    );
    await expect(failing).rejects.toThrow('timed out after 30 ms waiting for the database');
  });
});

describe('withDatabase', () => {
  it('swaps the database and user of a PostgreSQL URL', () => {
    expect(withDatabase('postgres://postgres:pw@127.0.0.1:5432/postgres', 'catalog', 'catalog')).toBe('postgres://catalog@127.0.0.1:5432/catalog');
  });
});
