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
  /** The latest applied time of the phase's events in either consumer. */
  lastAppliedEpochMs: number;
}

/** An event id with a time in epoch milliseconds. */
export interface Timed {
  id: string;
  at: number;
}

/** Audit's row of an event: when it was applied (`at`) and the event's own timestamp. */
export interface AuditTimed extends Timed {
  eventAt: number;
}

/**
 * Summarizes one phase from the events produced (`at` = the event's timestamp), inventory's rows
 * (`at` = applied) and audit's rows (applied minus the timestamp audit stored with the event).
 * Rows of events outside `produced` count only towards the last applied time.
 */
export function summarizeEndToEnd(produced: Timed[], inventoryRows: Timed[], auditRows: AuditTimed[]): EndToEndLatency {
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
