import type { Sql } from 'postgres';
import { backoffs, type Publisher } from '@warren/messaging';
import type { Failpoint } from '@warren/telemetry/failpoint';
import type { Logger } from '@warren/telemetry';
import { claimBatch, settleBatch } from './claim.ts';
import { outboxChannel } from './outbox.ts';

export interface RelayOptions {
  /** The service's postgres.js client (LISTEN uses a dedicated connection of its own). */
  client: Sql;
  publisher: Publisher;
  logger: Logger;
  batchSize?: number;
  /** Safety-net poll when nothing wakes the relay (rows other processes committed, retries). */
  pollIntervalMs?: number;
  /** A batch whose confirms take longer counts as not sent (rows stay pending). */
  publishTimeoutMs?: number;
  /** Delay before a failed row is tried again, doubling per attempt up to `maxRetryDelayMs`; default `backoffs.outboxRow`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * Whether the broker can take messages now. While it cannot (disconnected, or blocked by a
   * resource alarm) the relay claims nothing, so memory stays flat and rows stay pending; a
   * batch that fails because the broker went away is not counted against its rows.
   */
  isConnected?: () => boolean;
  /** Told about every batch (metrics). */
  observer?: RelayObserver;
  /** Test-only crash hook, called at `relay.after-claim` and `relay.after-confirm`. */
  failpoint?: Failpoint;
}

/** What the relay reports about each batch it publishes. */
export interface RelayObserver {
  batch(observation: { size: number; published: number; failed: number; publishSeconds: number }): void;
}

export interface Relay {
  /** Publishes one batch now; resolves with how many rows were marked published. */
  relayOnce(): Promise<number>;
  /** Looks for work now (after a reconnect, say) instead of at the next poll. */
  wake(): void;
  /** Stops waking, finishes the batch in flight (its confirms and marks), then stops. */
  close(): Promise<void>;
}

/**
 * Forwards outbox rows to the broker: woken by `wake()` after each commit of its own process
 * (`wakeOnCommit`), by a NOTIFY on `outboxChannel` from other writers, and by a poll as a safety net; claims batches with FOR UPDATE SKIP LOCKED so several relays can run; publishes a batch
 * pipelined on the confirm channel and marks rows published only after their confirms, in the
 * same transaction that holds their locks. A relay killed in between leaves its rows pending:
 * they are published again and consumers' inboxes drop the duplicates.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { client, publisher, logger, batchSize = 500, pollIntervalMs = 1_000, publishTimeoutMs = 15_000 } = options;
  const { retryDelayMs = backoffs.outboxRow.minMs, maxRetryDelayMs = backoffs.outboxRow.maxMs, isConnected = () => true, observer, failpoint } = options;
  let closing = false;
  let wake: (() => void) | undefined;
  let pending = true;

  function notify(): void {
    pending = true;
    wake?.();
  }

  async function relayOnce(): Promise<number> {
    return client.begin(async (tx) => {
      // Losing this transaction's commit in a crash only republishes its rows, which consumers'
      // inboxes drop, so it need not wait for the WAL flush. Sent with the claim: no round trip of its own.
      const [, rows] = await Promise.all([tx`set local synchronous_commit = off`, claimBatch(tx, batchSize)]);
      if (rows.length === 0) return 0;
      failpoint?.('relay.after-claim');
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`broker did not confirm within ${publishTimeoutMs} ms`)), publishTimeoutMs);
      });
      const outcomes = await Promise.race([publisher.publish(rows.map((row) => row.message)), timeout])
        .catch((error: unknown) => rows.map(() => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) })))
        .finally(() => clearTimeout(timer));
      const publishSeconds = (performance.now() - started) / 1_000;
      failpoint?.('relay.after-confirm');
      const { published, failed } = settleBatch(rows, outcomes.map((outcome) => outcome.ok));
      // The marks are sent, not awaited: they travel with the COMMIT, in the same round trip. One
      // that fails turns the COMMIT into a ROLLBACK, which rejects `begin` with its error (see
      // patches/postgres+3.4.9.patch), so the batch fails as a whole and its rows stay pending.
      if (published.length > 0) {
        void tx`update outbox_messages set published_at = now(), last_error = null where seq = any(${published}::bigint[])`.execute();
      }
      if (failed.length > 0 && !isConnected()) {
        logger.warn({ failed: failed.length }, 'broker went away mid-batch; rows stay pending');
      } else if (failed.length > 0) {
        const reason = outcomes.find((outcome) => !outcome.ok);
        const message = reason && !reason.ok ? reason.error.message : 'held back behind an earlier event of its subject';
        void tx`
          update outbox_messages
          set attempts = attempts + 1, last_error = ${message},
              next_attempt_at = now() + least(${retryDelayMs}::int * power(${backoffs.outboxRow.factor}::int, attempts), ${maxRetryDelayMs}::int) * interval '1 millisecond'
          where seq = any(${failed}::bigint[])`.execute();
        logger.warn({ failed: failed.length, reason: message }, 'outbox rows not published; will retry');
      }
      observer?.batch({ size: rows.length, published: published.length, failed: failed.length, publishSeconds });
      return published.length;
    });
  }

  const listener = await client.listen(outboxChannel, notify);

  const loop = (async () => {
    while (!closing) {
      if (pending && isConnected()) {
        pending = false;
        try {
          const count = await relayOnce();
          if (count >= batchSize) pending = true;
        } catch (error) {
          logger.error({ err: error }, 'relay batch failed');
          pending = false;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      pending = true;
    }
  })();

  return {
    relayOnce,
    wake: notify,
    async close() {
      closing = true;
      wake?.();
      await loop;
      await listener.unlisten();
    },
  };
}
