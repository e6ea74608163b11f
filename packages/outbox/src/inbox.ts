import type { ConsumedMessage, MessageHandler } from '@warren/messaging';
import { failpoint } from '@warren/telemetry';
import type { Database, Transaction } from './database.ts';
import { inboxMessages } from './schema.ts';

/** A handler that applies a message inside the consumer's transaction. */
export type TransactionalHandler<TData = unknown> = (message: ConsumedMessage<TData>, tx: Transaction) => Promise<void>;

export interface InboxOptions {
  /** Unique per consumer, usually its queue name: the same event may be applied once per handler. */
  handler: string;
  /** Told whether each message was applied or skipped as a duplicate (metrics, logs). */
  onOutcome?: (outcome: 'applied' | 'duplicate', message: ConsumedMessage) => void;
}

/**
 * Applies each message exactly once in effect: one transaction inserts `(message_id, handler)`
 * with ON CONFLICT DO NOTHING and, only if the row is new, runs `handle` with the same
 * transaction, so the inbox row and the handler's effects (and any outbox rows it adds) commit
 * together. A duplicate resolves (with `duplicate`) without running `handle`, so the delivery
 * is acked. A second
 * instance racing on the same message waits on the row lock and then sees the duplicate.
 */
export function inbox<TData>(db: Database, { handler, onOutcome }: InboxOptions, handle: TransactionalHandler<TData>): MessageHandler {
  return async (message) => {
    const outcome = await db.transaction(async (tx) => {
      const inserted = await tx
        .insert(inboxMessages)
        .values({ messageId: message.envelope.id, handler })
        .onConflictDoNothing()
        .returning({ messageId: inboxMessages.messageId });
      if (inserted.length === 0) return 'duplicate' as const;
      failpoint('inbox.mid-transaction');
      await handle(message as ConsumedMessage<TData>, tx);
      return 'applied' as const;
    });
    onOutcome?.(outcome, message);
    return outcome;
  };
}
