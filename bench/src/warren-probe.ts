import postgres, { type Sql } from 'postgres';
import type { AppliedProbe } from './applied.ts';
import { summarizeEndToEnd, type AuditTimed, type Timed } from './end-to-end.ts';

const inventoryHandler = 'inventory.item-created';

/** Opens one connection to a service's database, for the bench's own reads. */
export function openReader(url: string): Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'bench' } });
}

/**
 * Reads Warren's three databases: events produced are the catalog's outbox rows (timestamp from
 * the envelope), applied are inventory's inbox rows (`received_at`, the consumer transaction's
 * `now()`) and audit's event log (`received_at`, `clock_timestamp()` at insert).
 */
export function warrenProbe(urlOf: (service: 'catalog' | 'inventory' | 'audit') => string): AppliedProbe {
  const catalog = openReader(urlOf('catalog'));
  const inventory = openReader(urlOf('inventory'));
  const audit = openReader(urlOf('audit'));
  return {
    async countApplied() {
      const [[produced], [applied], [logged]] = await Promise.all([
        catalog<{ n: number }[]>`select count(*)::int as n from outbox_messages where type = 'item.created'`,
        inventory<{ n: number }[]>`select count(*)::int as n from inbox_messages where handler = ${inventoryHandler}`,
        audit<{ n: number }[]>`select count(*)::int as n from events where type = 'item.created'`,
      ]);
      return { produced: produced?.n ?? 0, inventory: applied?.n ?? 0, audit: logged?.n ?? 0 };
    },
    async endToEnd(skuPrefix) {
      const produced = await catalog<Timed[]>`
        select id::text as id, (extract(epoch from (envelope->>'timestamp')::timestamptz) * 1000)::float8 as at
        from outbox_messages
        where type = 'item.created' and starts_with(envelope->'data'->>'sku', ${`${skuPrefix}-`})`;
      const ids = produced.map((event) => event.id);
      const [inventoryRows, auditRows] = await Promise.all([
        inventory<Timed[]>`
          select message_id::text as id, (extract(epoch from received_at) * 1000)::float8 as at
          from inbox_messages where handler = ${inventoryHandler} and message_id = any(${ids}::uuid[])`,
        audit<AuditTimed[]>`
          select id::text as id, (extract(epoch from received_at) * 1000)::float8 as at,
                 (extract(epoch from timestamp) * 1000)::float8 as "eventAt"
          from events where id = any(${ids}::uuid[])`,
      ]);
      return summarizeEndToEnd(produced, inventoryRows, auditRows);
    },
    async close() {
      await Promise.all([catalog.end({ timeout: 5 }), inventory.end({ timeout: 5 }), audit.end({ timeout: 5 })]);
    },
  };
}
