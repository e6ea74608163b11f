import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { Envelope, EventData, EventDefinition } from '@warren/contracts';
import { createEnvelope, type EventHeaders } from '@warren/messaging';
import type { Transaction } from './database.ts';
import { outboxMessages } from './schema.ts';

/** The notification channel the relay listens on. */
export const outboxChannel = 'warren_outbox';

/** What caused an event: carried in its AMQP headers. */
export interface EventCause {
  correlationId: string;
  idempotencyKey?: string;
  causationId?: string;
  traceparent?: string;
  tracestate?: string;
  /** The caller that caused the event; stored as the envelope's `metadata.actor`. */
  actor?: string;
}

export interface NewEvent<TDefinition extends EventDefinition> {
  definition: TDefinition;
  subject: string;
  data: EventData<TDefinition>;
  cause: EventCause;
}

/** Writes events into the outbox of the caller's transaction. */
export interface Outbox {
  /**
   * Validates `data` against the contract, builds the envelope and inserts it in `tx`; the relay
   * is notified when `tx` commits, and nothing is published if it rolls back. Returns the envelope.
   */
  add<TDefinition extends EventDefinition>(tx: Transaction, event: NewEvent<TDefinition>): Promise<Envelope<EventData<TDefinition>>>;
}

export function createOutbox({ sourceService }: { sourceService: string }): Outbox {
  return {
    async add(tx, { definition, subject, data, cause }) {
      const envelope = createEnvelope({ definition, sourceService, subject, data, ...(cause.actor ? { actor: cause.actor } : {}) });
      // The writer's trace context travels with the row, so the relay's publish joins its trace.
      const trace: { traceparent?: string; tracestate?: string } = {};
      propagation.inject(context.active(), trace);
      const traceparent = cause.traceparent ?? trace.traceparent;
      const tracestate = cause.tracestate ?? trace.tracestate;
      const headers: EventHeaders = {
        correlation_id: cause.correlationId,
        source_service: sourceService,
        ...(cause.idempotencyKey ? { idempotency_key: cause.idempotencyKey } : {}),
        ...(cause.causationId ? { causation_id: cause.causationId } : {}),
        ...(traceparent ? { traceparent } : {}),
        ...(tracestate ? { tracestate } : {}),
      };
      await tx.insert(outboxMessages).values({
        id: envelope.id,
        type: envelope.type,
        version: envelope.version,
        routingKey: definition.routingKey,
        subject,
        envelope,
        headers,
      });
      // Delivered on commit, once per transaction however many events it added.
      await tx.execute(sql`select pg_notify(${outboxChannel}, '')`);
      return envelope;
    },
  };
}
