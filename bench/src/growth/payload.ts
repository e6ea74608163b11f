import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { newEventId } from '@warren/messaging';
import { outboxChannel } from '@warren/outbox';
import { waitUntilApplied } from '../applied.ts';
import type { EndToEndLatency } from '../end-to-end.ts';
import { epochNow } from '../post-item.ts';
import { perSecond } from '../stats.ts';
import { openReader } from '../warren-probe.ts';
import type { GrowthSystem } from './scale.ts';

export interface PayloadResult {
  /** Size of the event's `data`, bytes of JSON. */
  dataBytes: number;
  rate: number;
  /** Events written into the outbox over the phase, per second (below `rate` when the writer fell behind). */
  writtenPerSecond: number;
  /** Events over the time from the first write to the last applied by both consumers. */
  appliedPerSecond: number;
  endToEnd: EndToEndLatency;
}

interface TemplateRow {
  type: string;
  version: number;
  routing_key: string;
  envelope: { data: Record<string, unknown> } & Record<string, unknown>;
  headers: Record<string, unknown>;
}

/**
 * The event of one catalog write with `data` padded to `dataBytes` by a `padding` field: the
 * catalog's HTTP schema has fixed fields, but consumers read events tolerantly (unknown fields
 * are kept), so the padded event goes through the relay, the broker, validation and both
 * consumers as any other; audit stores it whole.
 */
export function paddedEvent(template: TemplateRow, { sku, dataBytes }: { sku: string; dataBytes: number }): { id: string; envelope: TemplateRow['envelope'] } {
  const id = newEventId();
  const itemId = randomUUID();
  const data: Record<string, unknown> = { ...template.envelope.data, id: itemId, sku, padding: '' };
  const padding = Math.max(0, dataBytes - Buffer.byteLength(JSON.stringify(data)));
  data['padding'] = 'x'.repeat(padding);
  return { id, envelope: { ...template.envelope, id, subject: itemId, timestamp: new Date().toISOString(), data } };
}

/**
 * Writes padded copies of a catalog event straight into the catalog's outbox at `rate` events/s
 * (open loop, one transaction per event with the relay's notification), for `seconds`, then waits
 * until both consumers applied them and reads their end-to-end latencies.
 */
export async function runPayloadPhase(
  running: GrowthSystem,
  { dataBytes, rate, seconds, skuPrefix, applyTimeoutMs }: { dataBytes: number; rate: number; seconds: number; skuPrefix: string; applyTimeoutMs: number },
): Promise<PayloadResult> {
  const sql = openReader(running.system.databaseUrl('catalog'));
  try {
    const [template] = await sql<TemplateRow[]>`
      select type, version, routing_key, envelope, headers from outbox_messages where type = 'item.created' order by seq desc limit 1`;
    if (!template) throw new Error('no item.created event in the catalog outbox to copy: run a write first');
    const total = Math.round(rate * seconds);
    const firstWriteEpochMs = epochNow();
    const startedAt = performance.now();
    for (let index = 0; index < total; index++) {
      const due = startedAt + (index * 1_000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const { id, envelope } = paddedEvent(template, { sku: `${skuPrefix}-${index}`, dataBytes });
      await sql.begin(async (tx) => {
        await tx`select pg_notify(${outboxChannel}, '')`;
        await tx`insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers)
                 values (${id}, ${template.type}, ${template.version}, ${template.routing_key}, ${envelope['subject'] as string}, ${tx.json(envelope as never)}, ${tx.json(template.headers as never)})`;
      });
    }
    const writtenPerSecond = perSecond(total, performance.now() - startedAt);
    running.accepted += total;
    await waitUntilApplied(running.probe, { accepted: running.accepted, timeoutMs: applyTimeoutMs });
    const endToEnd = await running.probe.endToEnd(skuPrefix);
    return { dataBytes, rate, writtenPerSecond, appliedPerSecond: perSecond(total, endToEnd.lastAppliedEpochMs - firstWriteEpochMs), endToEnd };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
