import { inventoryHandler, type SystemDatabases } from './applied.ts';
import { createRecorder, summarize, type Summary } from './stats.ts';

/** Event time to applied time for the events of one phase, per consumer and for both. */
export interface EndToEndLatency {
  events: number;
  /** Events of the phase a consumer has no row for (0 once applied). */
  missing: { inventory: number; audit: number };
  inventoryMs: Summary;
  auditMs: Summary;
  /** Per event, the later of the two: the time until both consumers applied it. */
  bothMs: Summary;
  firstEventEpochMs: number;
  /** The latest `received_at` of the phase's events in either consumer. */
  lastAppliedEpochMs: number;
}

interface Timed {
  id: string;
  at: number;
}

/**
 * Reads the phase's events (SKU starting with `skuPrefix`) from the catalog's outbox, and when
 * each was applied: inventory's inbox `received_at` minus the event timestamp, and audit's
 * `received_at - timestamp`. Times come from PostgreSQL as epoch milliseconds.
 */
export async function endToEndLatency(dbs: SystemDatabases, skuPrefix: string): Promise<EndToEndLatency> {
  const produced = await dbs.catalog<Timed[]>`
    select id::text as id, (extract(epoch from (envelope->>'timestamp')::timestamptz) * 1000)::float8 as at
    from outbox_messages
    where type = 'item.created' and starts_with(envelope->'data'->>'sku', ${`${skuPrefix}-`})`;
  const ids = produced.map((event) => event.id);
  const [inventoryRows, auditRows] = await Promise.all([
    dbs.inventory<Timed[]>`
      select message_id::text as id, (extract(epoch from received_at) * 1000)::float8 as at
      from inbox_messages where handler = ${inventoryHandler} and message_id = any(${ids}::uuid[])`,
    dbs.audit<(Timed & { eventAt: number })[]>`
      select id::text as id, (extract(epoch from received_at) * 1000)::float8 as at,
             (extract(epoch from timestamp) * 1000)::float8 as "eventAt"
      from events where id = any(${ids}::uuid[])`,
  ]);
  const inventoryAt = new Map(inventoryRows.map((row) => [row.id, row.at]));
  const auditDelay = new Map(auditRows.map((row) => [row.id, row.at - row.eventAt]));
  const inventory = createRecorder(produced.length);
  const audit = createRecorder(produced.length);
  const both = createRecorder(produced.length);
  let firstEventEpochMs = Number.POSITIVE_INFINITY;
  let lastAppliedEpochMs = Number.NEGATIVE_INFINITY;
  for (const row of [...inventoryRows, ...auditRows]) lastAppliedEpochMs = Math.max(lastAppliedEpochMs, row.at);
  for (const event of produced) {
    firstEventEpochMs = Math.min(firstEventEpochMs, event.at);
    const applied = inventoryAt.get(event.id);
    const inventoryMs = applied === undefined ? undefined : applied - event.at;
    const auditMs = auditDelay.get(event.id);
    if (inventoryMs !== undefined) inventory.add(inventoryMs);
    if (auditMs !== undefined) audit.add(auditMs);
    if (inventoryMs !== undefined && auditMs !== undefined) both.add(Math.max(inventoryMs, auditMs));
  }
  return {
    events: produced.length,
    missing: { inventory: produced.length - inventory.length, audit: produced.length - audit.length },
    inventoryMs: summarize(inventory.values()),
    auditMs: summarize(audit.values()),
    bothMs: summarize(both.values()),
    firstEventEpochMs,
    lastAppliedEpochMs,
  };
}
