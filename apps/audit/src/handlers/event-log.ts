import { sql } from 'drizzle-orm';
import { consumerQueue } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import { inbox, type Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';

/** The queue and bindings come from the topology declared in @warren/contracts. */
const declared = consumerQueue('audit.event-log');
export const eventLogQueue = declared.queue;

function header(headers: Readonly<Record<string, unknown>>, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Appends every well-formed event to the log, once per event id: types and versions audit was
 * never told about too (read tolerantly, never upcast: the log keeps the event as it was
 * published), with the fields it does not know kept in `data` and `envelope`.
 */
export function eventLogConsumer({ db, faults }: { db: Database; faults?: { failpoint?: Failpoint } }): ConsumerDefinition {
  return {
    queue: eventLogQueue,
    events: 'all',
    bindings: declared.bindings,
    // One insert per event, reading nothing: events of different subjects may be logged side by side.
    handle: inbox(db, { handler: eventLogQueue, concurrentSubjects: true, ...(faults?.failpoint ? { failpoint: faults.failpoint } : {}) }, async (message, tx) => {
      const { envelope } = message;
      const { data, ...received } = envelope;
      // Written as SQL, not built per event: this runs for every event of every service. `data` and
      // `envelope` go as their JSON text, so a JSON null is stored as JSON, not as SQL NULL.
      await tx.execute(sql`
        insert into events (id, type, version, timestamp, source_service, subject, correlation_id, causation_id, actor, data, envelope)
        values (
          ${envelope.id}::uuid, ${envelope.type}::text, ${envelope.version}::int, ${new Date(envelope.timestamp).toISOString()}::timestamptz,
          ${envelope.source_service}::text, ${envelope.subject}::text,
          ${message.correlationId ?? header(message.headers, 'correlation_id')}::text, ${header(message.headers, 'causation_id')}::text,
          ${envelope.metadata?.actor ?? null}::text, ${JSON.stringify(data)}::jsonb, ${JSON.stringify(received)}::jsonb)
        on conflict do nothing`);
    }),
  };
}
