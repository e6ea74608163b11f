import type { OutboxStatus } from '@warren/operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, withDatabase, type TestDatabase } from '@warren/testing';
import { itemCreated, warren } from '../cli.test-support.ts';
import { insertOutboxRows, migrateOutbox } from '@warren/operations/testing';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const unroutable = 'no queue is bound to events for item.created.v1 (message x)';

describe('warren outbox status against a real PostgreSQL', () => {
  let catalog: TestDatabase;
  let inventory: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [catalog, inventory] = await Promise.all([createTestDatabase('cli_catalog'), createTestDatabase('cli_inventory')]);
    await Promise.all([migrateOutbox(catalog.url), migrateOutbox(inventory.url)]);
    env = { CATALOG_DATABASE_URL: catalog.url, INVENTORY_DATABASE_URL: inventory.url };
    await insertOutboxRows(catalog.url, [
      { message: itemCreated(), createdAt: minutesAgo(60), publishedAt: minutesAgo(59) },
      { message: itemCreated(), createdAt: minutesAgo(0.2), publishedAt: minutesAgo(0.1), attempts: 1 },
      { message: itemCreated(), createdAt: minutesAgo(5), publishedAt: null, attempts: 3, lastError: unroutable },
      { message: itemCreated(), createdAt: minutesAgo(4), publishedAt: null, attempts: 1, lastError: unroutable },
      { message: itemCreated(), createdAt: minutesAgo(3), publishedAt: null, attempts: 2, lastError: 'broker did not confirm within 15000 ms' },
      { message: itemCreated(), createdAt: minutesAgo(1), publishedAt: null },
    ]);
  });
  afterAll(async () => {
    await Promise.all([catalog.drop(), inventory.drop()]);
  });

  it('reports pending, oldest pending, published in the last minute and failing rows as JSON', async () => {
    const result = await warren(['outbox', 'status', '--service', 'catalog', '--json'], env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [status] = JSON.parse(result.stdout) as OutboxStatus[];
    expect(status).toMatchObject({
      service: 'catalog',
      pending: 4,
      publishedLastMinute: 1,
      failing: 3,
      failures: [
        { lastError: unroutable, rows: 2, maxAttempts: 3 },
        { lastError: 'broker did not confirm within 15000 ms', rows: 1, maxAttempts: 2 },
      ],
    });
    expect(status?.oldestPendingMs).toBeGreaterThanOrEqual(5 * 60_000 - 1_000);
    expect(status?.oldestPendingMs).toBeLessThan(6 * 60_000);
  });

  it('prints a row per producing service by default, and the failing rows with their last error', async () => {
    const result = await warren(['outbox', 'status'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+PENDING\s+OLDEST PENDING\s+PUBLISHED LAST MIN\s+FAILING$/);
    expect(lines[1]).toMatch(/^catalog\s+4\s+5m \d+s\s+1\s+3$/);
    expect(lines[2]).toMatch(/^inventory\s+0\s+-\s+0\s+0$/);
    expect(result.stdout).toContain('catalog: 3 failing row(s)');
    expect(result.stdout).toContain(`2 row(s), up to 3 attempt(s), oldest seq 3: ${unroutable}`);
  });

  it('exits 1 naming the service whose database cannot be read, still reporting the others', async () => {
    const broken = { ...env, INVENTORY_DATABASE_URL: withDatabase(inventory.adminUrl, 'warren_cli_missing_db') };
    const result = await warren(['outbox', 'status'], broken);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^catalog\s+4/m);
    expect(result.stderr).toMatch(/^warren: inventory database \(postgres:\/\/.*\/warren_cli_missing_db\): .*warren_cli_missing_db/);
  });

  it('refuses an unknown service', async () => {
    const result = await warren(['outbox', 'status', '--service', 'billing'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown service billing');
  });
});
