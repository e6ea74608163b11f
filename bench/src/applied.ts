import postgres, { type Sql } from 'postgres';
import { delay } from './timeout.ts';

/** One connection to each service's database, read by the benchmark only. */
export interface SystemDatabases {
  catalog: Sql;
  inventory: Sql;
  audit: Sql;
  close(): Promise<void>;
}

/** Opens one connection per database named by `urlOf(service)`. */
export function openDatabases(urlOf: (service: 'catalog' | 'inventory' | 'audit') => string): SystemDatabases {
  const open = (url: string): Sql => postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'bench' } });
  const catalog = open(urlOf('catalog'));
  const inventory = open(urlOf('inventory'));
  const audit = open(urlOf('audit'));
  return {
    catalog,
    inventory,
    audit,
    async close() {
      await Promise.all([catalog.end({ timeout: 5 }), inventory.end({ timeout: 5 }), audit.end({ timeout: 5 })]);
    },
  };
}

export const inventoryHandler = 'inventory.item-created';

/** How far the consumers got, in events (item.created) since the system started. */
export interface AppliedCounts {
  /** Events in the catalog's outbox (every committed write, answered or not). */
  produced: number;
  inventory: number;
  audit: number;
}

/** Counts produced and applied item.created events in the three databases. */
export async function countApplied(dbs: SystemDatabases): Promise<AppliedCounts> {
  const [[produced], [inventory], [audit]] = await Promise.all([
    dbs.catalog<{ n: number }[]>`select count(*)::int as n from outbox_messages where type = 'item.created'`,
    dbs.inventory<{ n: number }[]>`select count(*)::int as n from inbox_messages where handler = ${inventoryHandler}`,
    dbs.audit<{ n: number }[]>`select count(*)::int as n from events where type = 'item.created'`,
  ]);
  return { produced: produced?.n ?? 0, inventory: inventory?.n ?? 0, audit: audit?.n ?? 0 };
}

export interface WaitOptions {
  /** Writes answered 201 since the system started; the outbox count is awaited when higher. */
  accepted: number;
  timeoutMs: number;
  pollMs?: number;
}

/**
 * Polls until inventory's inbox and audit's event log hold every event the catalog produced
 * (at least `accepted`), and resolves with the counts and how long it waited. Rejects with the
 * counts reached when `timeoutMs` pass first.
 */
export async function waitUntilApplied(dbs: SystemDatabases, { accepted, timeoutMs, pollMs = 100 }: WaitOptions): Promise<AppliedCounts & { waitedMs: number }> {
  const startedAt = Date.now();
  for (;;) {
    const counts = await countApplied(dbs);
    const target = Math.max(accepted, counts.produced);
    const waitedMs = Date.now() - startedAt;
    if (counts.inventory >= target && counts.audit >= target) return { ...counts, waitedMs };
    if (waitedMs > timeoutMs) {
      throw new Error(`events not applied within ${timeoutMs / 1_000} s: ${target} expected, inventory ${counts.inventory}, audit ${counts.audit}`);
    }
    await delay(pollMs);
  }
}
