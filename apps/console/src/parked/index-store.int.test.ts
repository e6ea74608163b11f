import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createIndexStore, type IndexStore } from './index-store.ts';
import { sampleRecord as record } from './sample-records.ts';

const migrations = fileURLToPath(new URL('../db/migrations', import.meta.url));

describe('the index of parked messages', () => {
  let context: ServiceTestContext;
  let store: IndexStore;

  beforeAll(async () => {
    context = await createServiceTestContext('console', migrations);
    store = createIndexStore(context.deps.db);
    await store.replaceQueue('inventory.item-created.dlq', Array.from({ length: 6_000 }, (_, index) => record(index, 'inventory.item-created.dlq')));
    await store.replaceQueue('audit.event-log.dlq', Array.from({ length: 4_000 }, (_, index) => record(index, 'audit.event-log.dlq')));
  }, 120_000);
  afterAll(() => context.close());

  // How fast it does so is a figure of `npm run bench:grouping -w @warren/console`, not a test.
  it('groups 10,000 parked messages every way, each message in exactly one group', async () => {
    for (const by of ['fingerprint', 'eventType', 'queue', 'service'] as const) {
      const groups = await store.groups(by);
      expect(groups.reduce((sum, group) => sum + group.count, 0), by).toBe(10_000);
    }
    expect((await store.groups('fingerprint')).map((group) => [group.key, group.count])).toEqual([
      ['fp-0', 2_500],
      ['fp-1', 2_500],
      ['fp-2', 2_500],
      ['fp-3', 2_500],
    ]);
  });

  it('searches the error and body text, and filters by time range and subject', async () => {
    expect(await store.count({ text: 'lamp 4321' })).toBe(1);
    expect(await store.count({ subject: 'subject-7', deadLetterQueue: 'audit.event-log.dlq' })).toBe(40);
    expect(await store.count({ from: new Date(Date.UTC(2026, 10, 28, 0, 0, 0)), to: new Date(Date.UTC(2026, 10, 28, 0, 0, 9)) })).toBe(40);
    expect(await store.count({ text: '100%' })).toBe(0);
  });

  it('replaces one queue without touching the others, and keeps a failed scan apart', async () => {
    await store.replaceQueue('audit.event-log.dlq', [record(1, 'audit.event-log.dlq')]);
    expect(await store.count({ deadLetterQueue: 'audit.event-log.dlq' })).toBe(1);
    expect(await store.count({ deadLetterQueue: 'inventory.item-created.dlq' })).toBe(6_000);
    await store.scanFailed('inventory.item-created.dlq', 'queue inventory.item-created.dlq does not exist');
    expect(await store.count({ deadLetterQueue: 'inventory.item-created.dlq' })).toBe(6_000);
    expect((await store.lastScans()).find((scan) => scan.deadLetterQueue === 'inventory.item-created.dlq')?.error).toContain('does not exist');
  });
});
