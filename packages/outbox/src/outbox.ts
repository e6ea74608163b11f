import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { Envelope, EventData, EventDefinition } from '@warren/contracts';
import { decodeDelivery, envelopeOf, newEventId, type EventHeaders } from '@warren/messaging';
import type { Transaction } from './database.ts';

/**
 * The notification channel the relay listens on. Warren's services wake their own relay in-process
 * after each commit (see `wakeOnCommit`) and do not notify; the channel is for other writers.
 */
export const outboxChannel = 'warren_outbox';

/**
 * First key of the transaction-scoped advisory locks `outbox.add` takes per subject (the second
 * is the subject's hash): a namespace of its own, so Warren's locks meet no one else's.
 */
export const subjectLockSpace = 0x57_52_4e; // "WRN"

/**
 * Thrown by `outbox.add` when the envelope it built is one its consumers would refuse: a bug in
 * the producer (or an edge that let the input through). The write is refused, so nothing reaches
 * the outbox that would end up parked; the edge answers it as a 500.
 */
export class UndeliverableEventError extends Error {
  constructor(routingKey: string, cause: unknown) {
    super(`cannot add ${routingKey} to the outbox: its consumers would refuse it (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'UndeliverableEventError';
  }
}

/**
 * Runs the consumers' decoding on the bytes the relay will publish, in the producer's exact mode
 * (closed objects, known versions: a writer sends the contract as written, never more); throws
 * what a consumer would refuse. This is the one validation of an event's data and envelope.
 * Returns the checked JSON, which is what the outbox stores.
 */
function deliverableJson(envelope: Envelope, routingKey: string): string {
  const json = JSON.stringify(envelope);
  try {
    decodeDelivery(
      { content: Buffer.from(json), headers: {}, correlationId: undefined, queue: 'outbox', routingKey, redelivered: false, attempt: 1 },
      'all',
      'exact',
    );
  } catch (error) {
    throw new UndeliverableEventError(routingKey, error);
  }
  return json;
}

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

/** One version of an event published in several versions at once (see `Outbox.addVersions`). */
export interface EventVersion<TDefinition extends EventDefinition> {
  definition: TDefinition;
  data: EventData<TDefinition>;
}

/** The same event in several versions of one type, for `Outbox.addVersions`. */
export interface NewEventVersions {
  subject: string;
  /** In the order the relay publishes them (newest first, so a consumer bound to all applies the newest). */
  versions: readonly EventVersion<EventDefinition>[];
  cause: EventCause;
}

/** Writes events into the outbox of the caller's transaction. */
export interface Outbox {
  /**
   * Builds the envelope and checks it exactly as consumers will (the contract's envelope schema,
   * then the event's data schema, on the JSON the relay publishes), then inserts it in `tx`; the
   * relay is woken when `tx` commits (see `wakeOnCommit`), and nothing is published if it rolls back. Returns the
   * envelope. Throws UndeliverableEventError, before writing anything, when a consumer would
   * refuse the event: a write either reaches every consumer or fails. Holds a lock on the subject
   * until `tx` ends, so writers of one subject commit in the order they add (a transaction that
   * adds events of several subjects should add them in a stable order, or PostgreSQL may abort
   * one of two crossing writers as a deadlock, which is retryable).
   */
  add<TDefinition extends EventDefinition>(tx: Transaction, event: NewEvent<TDefinition>): Promise<Envelope<EventData<TDefinition>>>;
  /**
   * Adds one event in several versions of its type (a migration window: consumers that know only
   * the old version keep working), like `add` for each, in the order given. The envelopes share
   * one id, so a consumer bound to several of the versions applies the event once (its inbox is
   * keyed by that id) and drops the other copies as duplicates. The outbox row of the first
   * version has the envelope's id as its `id`; the others have row ids of their own (the column
   * is unique). Throws UndeliverableEventError, writing nothing, when any version is refused, and
   * a plain Error when the versions are not distinct versions of one type.
   */
  addVersions(tx: Transaction, event: NewEventVersions): Promise<Envelope[]>;
  /** Whether `add` or `addVersions` wrote into `tx` (see `wakeOnCommit`). */
  addedIn(tx: Transaction): boolean;
}

export function createOutbox({ sourceService }: { sourceService: string }): Outbox {
  const adding = new WeakSet<Transaction>();

  function build(definition: EventDefinition, subject: string, data: unknown, cause: EventCause, id?: string): { envelope: Envelope; json: string } {
    const envelope = envelopeOf({ definition, sourceService, subject, data, ...(id ? { id } : {}), ...(cause.actor ? { actor: cause.actor } : {}) });
    return { envelope, json: deliverableJson(envelope, definition.routingKey) };
  }

  async function insert(tx: Transaction, rows: readonly { rowId: string; envelope: Envelope; json: string; definition: EventDefinition }[], subject: string, cause: EventCause) {
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
    const values = sql.join(
      rows.map(
        ({ rowId, envelope, json, definition }, index) =>
          sql`(${index}::int, ${rowId}::uuid, ${envelope.type}::text, ${envelope.version}::int, ${definition.routingKey}::text, ${json}::jsonb)`,
      ),
      sql`, `,
    );
    // One statement. The subject's lock (the materialized CTE, taken before any row gets its seq)
    // is held to commit and makes seq order commit order per subject: a second writer of the
    // subject takes its seq only after the first committed (or rolled back), so the relay, which
    // sends each subject's rows in seq order, sends them in commit order.
    await tx.execute(sql`
      with locked as materialized (select pg_advisory_xact_lock(${subjectLockSpace}, hashtext(${subject})) as held)
      insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers)
      select added.id, added.type, added.version, added.routing_key, ${subject}, added.envelope, ${JSON.stringify(headers)}::jsonb
      from locked, (values ${values}) as added (position, id, type, version, routing_key, envelope)
      order by added.position`);
    adding.add(tx);
  }

  return {
    async add(tx, { definition, subject, data, cause }) {
      const { envelope, json } = build(definition, subject, data, cause);
      await insert(tx, [{ rowId: envelope.id, envelope, json, definition }], subject, cause);
      return envelope as Envelope<EventData<typeof definition>>;
    },

    async addVersions(tx, { subject, versions, cause }) {
      const [first] = versions;
      if (!first) throw new Error('addVersions needs at least one version');
      const distinct = new Set(versions.map(({ definition }) => definition.version));
      if (versions.some(({ definition }) => definition.type !== first.definition.type) || distinct.size !== versions.length) {
        throw new Error(`addVersions takes distinct versions of one type, got ${versions.map(({ definition }) => definition.routingKey).join(', ')}`);
      }
      const id = newEventId();
      const rows = versions.map(({ definition, data }, index) => ({ rowId: index === 0 ? id : newEventId(), ...build(definition, subject, data, cause, id), definition }));
      await insert(tx, rows, subject, cause);
      return rows.map((row) => row.envelope);
    },

    addedIn: (tx) => adding.has(tx),
  };
}
