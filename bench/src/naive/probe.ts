import type { AppliedProbe } from '../applied.ts';
import { summarizeEndToEnd, type AuditTimed, type Timed } from '../end-to-end.ts';
import { openReader } from '../warren-probe.ts';
import type { NaiveServiceName } from './schema.ts';

/**
 * Reads the naive services' databases: events produced are the catalog's items (the event id is
 * the item id, its timestamp `created_at`), applied are inventory's stock rows and audit's event
 * rows (`received_at`, `clock_timestamp()` at insert in both).
 */
export function naiveProbe(urlOf: (service: NaiveServiceName) => string): AppliedProbe {
  const catalog = openReader(urlOf('catalog'));
  const inventory = openReader(urlOf('inventory'));
  const audit = openReader(urlOf('audit'));
  return {
    async countApplied() {
      const [[produced], [applied], [logged]] = await Promise.all([
        catalog<{ n: number }[]>`select count(*)::int as n from items`,
        inventory<{ n: number }[]>`select count(*)::int as n from stock`,
        audit<{ n: number }[]>`select count(*)::int as n from events where type = 'item.created'`,
      ]);
      return { produced: produced?.n ?? 0, inventory: applied?.n ?? 0, audit: logged?.n ?? 0 };
    },
    async endToEnd(skuPrefix) {
      const produced = await catalog<Timed[]>`
        select id::text as id, (extract(epoch from created_at) * 1000)::float8 as at
        from items where starts_with(sku, ${`${skuPrefix}-`})`;
      const ids = produced.map((event) => event.id);
      const [inventoryRows, auditRows] = await Promise.all([
        inventory<Timed[]>`
          select item_id::text as id, (extract(epoch from received_at) * 1000)::float8 as at
          from stock where item_id = any(${ids}::uuid[])`,
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
