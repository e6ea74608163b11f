import { context, type Context } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import type { ConsumedMessage, HandlerResult, MessageHandler } from '@warren/messaging';
import type { Failpoint } from '@warren/telemetry/failpoint';
import type { Database, Transaction } from './database.ts';

/** A handler that applies a message inside the consumer's transaction. */
export type TransactionalHandler<TData = unknown> = (message: ConsumedMessage<TData>, tx: Transaction) => Promise<void>;

export interface InboxOptions {
  /** Unique per consumer, usually its queue name: the same event may be applied once per handler. */
  handler: string;
  /** Told whether each message was applied or skipped as a duplicate (metrics, logs). */
  onOutcome?: (outcome: HandlerResult, message: ConsumedMessage) => void;
  /** Most messages applied in one transaction. */
  maxBatch?: number;
  /**
   * Runs the handlers of a batch's different subjects at the same time on its transaction, so
   * their statements travel to PostgreSQL together; messages of one subject are still applied one
   * after the other, in delivery order. Default false: every handler waits for the one before.
   * Turn it on only for handlers that never read a row another subject's message may write and
   * write it back from what they read (read-modify-write in JS): interleaved on one transaction,
   * one of the two updates would be lost. Single statements (an insert, `set x = x + 1`) are safe.
   */
  concurrentSubjects?: boolean;
  /** Test-only crash hook, called at `inbox.mid-transaction` (after the inbox row, before the handler). */
  failpoint?: Failpoint;
}

interface Pending {
  message: ConsumedMessage;
  /** The delivery's trace context: its handler's queries belong to its own trace. */
  context: Context;
  resolve: (outcome: HandlerResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Applies each message exactly once in effect: a transaction inserts `(message_id, handler)`
 * with ON CONFLICT DO NOTHING and runs `handle` in that same transaction only for rows that were
 * new, so the inbox row and the handler's effects (and any outbox rows it adds) commit together.
 * A duplicate resolves with `duplicate` without running `handle`, so the delivery is acked; a
 * second instance racing on the same message waits on the row lock, then sees the duplicate.
 *
 * Deliveries that arrive while a transaction is running are applied together in the next one
 * (group commit: one commit for many messages, no added wait). The returned promise resolves only
 * after the commit, so nothing is acked before its effect is durable. If a batch fails, each of its
 * messages is applied on its own, so only the culprit fails (and is retried or parked).
 */
export function inbox<TData>(db: Database, { handler, onOutcome, maxBatch = 100, failpoint, concurrentSubjects = false }: InboxOptions, handle: TransactionalHandler<TData>): MessageHandler {
  const queue: Pending[] = [];
  let draining = false;

  const apply = async (item: Pending, tx: Transaction): Promise<void> => {
    failpoint?.('inbox.mid-transaction');
    await context.with(item.context, () => handle(item.message as ConsumedMessage<TData>, tx));
  };

  /**
   * Inserts the inbox rows of `ids` and returns those that were new. One statement text whatever
   * the number of ids, so each connection prepares it once.
   */
  const claim = async (tx: Transaction, ids: readonly string[]): Promise<Set<string>> => {
    const inserted = await tx.execute<{ message_id: string }>(sql`
      insert into inbox_messages (message_id, handler)
      select unnest(${sql.param(ids)}::uuid[]), ${handler}::text
      on conflict do nothing
      returning message_id`);
    return new Set(inserted.map((row) => row.message_id));
  };

  const applyAlone = (item: Pending): Promise<HandlerResult> =>
    context.with(item.context, () =>
      db.transaction(async (tx) => {
        const fresh = await claim(tx, [item.message.envelope.id]);
        if (fresh.size === 0) return 'duplicate';
        await apply(item, tx);
        return 'applied';
      }),
    );

  /** Applies `items` one after the other, in order. */
  const applyInTurn = async (items: readonly Pending[], tx: Transaction): Promise<void> => {
    for (const item of items) await apply(item, tx);
  };

  /**
   * Applies each subject's messages in turn, the subjects side by side. Every subject has
   * settled before this settles: a handler still sending statements after the transaction ended
   * would send them on a connection that may already serve another transaction.
   */
  const applyBySubject = async (items: readonly Pending[], tx: Transaction): Promise<void> => {
    const subjects = new Map<string, Pending[]>();
    for (const item of items) {
      const turn = subjects.get(item.message.envelope.subject);
      if (turn) turn.push(item);
      else subjects.set(item.message.envelope.subject, [item]);
    }
    const settled = await Promise.allSettled([...subjects.values()].map((turn) => applyInTurn(turn, tx)));
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };

  const applyTogether = (batch: readonly Pending[]): Promise<HandlerResult[]> =>
    db.transaction(async (tx) => {
      // Sorted, so two instances inserting overlapping batches lock rows in the same order.
      const fresh = await claim(tx, [...new Set(batch.map((item) => item.message.envelope.id))].sort());
      // A message delivered twice in one batch is applied at its first delivery only.
      const outcomes = batch.map((item): HandlerResult => (fresh.delete(item.message.envelope.id) ? 'applied' : 'duplicate'));
      const applied = batch.filter((_, index) => outcomes[index] === 'applied');
      await (concurrentSubjects ? applyBySubject(applied, tx) : applyInTurn(applied, tx));
      return outcomes;
    });

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        const [first] = batch;
        if (batch.length === 1 && first) {
          await applyAlone(first).then(first.resolve, first.reject);
          continue;
        }
        try {
          const outcomes = await context.with(first?.context ?? context.active(), () => applyTogether(batch));
          batch.forEach((item, index) => item.resolve(outcomes[index] ?? 'applied'));
        } catch {
          for (const item of batch) await applyAlone(item).then(item.resolve, item.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  return async (message) => {
    const outcome = await new Promise<HandlerResult>((resolve, reject) => {
      queue.push({ message, context: context.active(), resolve, reject });
      if (!draining) void drain();
    });
    onOutcome?.(outcome, message);
    return outcome;
  };
}
