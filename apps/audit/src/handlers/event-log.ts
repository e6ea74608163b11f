import { sql } from 'drizzle-orm';
import { consumerQueue } from '@warren/contracts';
import type { ConsumerDefinition } from '@warren/messaging';
import { inbox, type Database } from '@warren/outbox';
import type { Failpoint } from '@warren/telemetry/failpoint';
import { events } from '../db/schema.ts';

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
    handle: inbox(db, { handler: eventLogQueue, ...(faults?.failpoint ? { failpoint: faults.failpoint } : {}) }, async (message, tx) => {
      const { envelope } = message;
      const { data, ...received } = envelope;
      await tx
        .insert(events)
        .values({
          id: envelope.id,
          type: envelope.type,
          version: envelope.version,
          timestamp: new Date(envelope.timestamp),
          sourceService: envelope.source_service,
          subject: envelope.subject,
          correlationId: message.correlationId ?? header(message.headers, 'correlation_id'),
          causationId: header(message.headers, 'causation_id'),
          actor: envelope.metadata?.actor ?? null,
          // A JSON null is stored as JSON, not as SQL NULL.
          data: data === null ? sql`'null'::jsonb` : data,
          envelope: received,
        })
        .onConflictDoNothing();
    }),
  };
}
