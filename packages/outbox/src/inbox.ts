import { context, type Context } from '@opentelemetry/api';
import type { ConsumedMessage, HandlerResult, MessageHandler } from '@warren/messaging';
import type { Failpoint } from '@warren/telemetry/failpoint';
import type { Database, Transaction } from './database.ts';
import { inboxMessages } from './schema.ts';

/** A handler that applies a message inside the consumer's transaction. */
export type TransactionalHandler<TData = unknown> = (message: ConsumedMessage<TData>, tx: Transaction) => Promise<void>;

export interface InboxOptions {
  /** Unique per consumer, usually its queue name: the same event may be applied once per handler. */
  handler: string;
  /** Told whether each message was applied or skipped as a duplicate (metrics, logs). */
  onOutcome?: (outcome: HandlerResult, message: ConsumedMessage) => void;
  /** Most messages applied in one transaction. */
  maxBatch?: number;
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
export function inbox<TData>(db: Database, { handler, onOutcome, maxBatch = 100, failpoint }: InboxOptions, handle: TransactionalHandler<TData>): MessageHandler {
  const queue: Pending[] = [];
  let draining = false;

  const apply = (item: Pending, tx: Transaction) => {
    failpoint?.('inbox.mid-transaction');
    return context.with(item.context, () => handle(item.message as ConsumedMessage<TData>, tx));
  };

  const applyAlone = (item: Pending): Promise<HandlerResult> =>
    context.with(item.context, () =>
      db.transaction(async (tx) => {
        const inserted = await tx
          .insert(inboxMessages)
          .values({ messageId: item.message.envelope.id, handler })
          .onConflictDoNothing()
          .returning({ messageId: inboxMessages.messageId });
        if (inserted.length === 0) return 'duplicate';
        await apply(item, tx);
        return 'applied';
      }),
    );

  const applyTogether = (batch: readonly Pending[]): Promise<HandlerResult[]> =>
    db.transaction(async (tx) => {
      // Sorted, so two instances inserting overlapping batches lock rows in the same order.
      const ids = [...new Set(batch.map((item) => item.message.envelope.id))].sort();
      const inserted = await tx
        .insert(inboxMessages)
        .values(ids.map((messageId) => ({ messageId, handler })))
        .onConflictDoNothing()
        .returning({ messageId: inboxMessages.messageId });
      const fresh = new Set(inserted.map((row) => row.messageId));
      const outcomes: HandlerResult[] = [];
      for (const item of batch) {
        if (!fresh.delete(item.message.envelope.id)) {
          outcomes.push('duplicate');
          continue;
        }
        await apply(item, tx);
        outcomes.push('applied');
      }
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
