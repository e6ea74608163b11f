import { and, isNotNull, lt } from 'drizzle-orm';
import type { Logger } from '@warren/telemetry';
import type { Database } from './database.ts';
import { inboxMessages, outboxMessages } from './schema.ts';

/** Deletes published outbox rows (the archive) older than `olderThanMs`. Never touches pending rows. */
export async function pruneOutbox(db: Database, olderThanMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  const deleted = await db
    .delete(outboxMessages)
    .where(and(isNotNull(outboxMessages.publishedAt), lt(outboxMessages.publishedAt, cutoff)))
    .returning({ seq: outboxMessages.seq });
  return deleted.length;
}

/**
 * Deletes inbox rows older than `olderThanMs`. The window must outlast every way a message can
 * come back (retries, dead-letter replay, archive replay), or a late duplicate would apply again.
 */
export async function pruneInbox(db: Database, olderThanMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - olderThanMs);
  const deleted = await db.delete(inboxMessages).where(lt(inboxMessages.receivedAt, cutoff)).returning({ handler: inboxMessages.handler });
  return deleted.length;
}

export interface RetentionJob {
  name: string;
  run(): Promise<number>;
}

/** Runs the jobs every `intervalMs` (first run after one interval); `close()` waits for a run in progress. */
export function scheduleRetention(jobs: readonly RetentionJob[], { intervalMs, logger }: { intervalMs: number; logger: Logger }): { close(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = (async () => {
      for (const job of jobs) {
        try {
          const removed = await job.run();
          if (removed > 0) logger.info({ job: job.name, removed }, 'retention pruned rows');
        } catch (error) {
          logger.warn({ err: error, job: job.name }, 'retention job failed');
        }
      }
    })().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
