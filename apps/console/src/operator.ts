import { browseArchive, editAndReplay, OperationsError, purgeParked, republishArchived, redirectParked, replayParked, type Broker, type ParkedOutcome, type ParkedRun } from '@warren/operations';
import type { Logger } from '@warren/telemetry';
import { archivedEvents, type ArchiveSelection } from '@warren/outbox';
import type { ActionName, ActivityLog } from './activity.ts';
import type { ArchiveSources } from './archive.ts';
import type { IndexStore } from './parked/index-store.ts';
import type { Indexer } from './parked/indexer.ts';

/** What an operator acts on: messages by id, or a whole group (fingerprint), optionally within one dead-letter queue. */
export interface ActionTarget {
  messageIds?: string[] | undefined;
  fingerprint?: string | undefined;
  deadLetterQueue?: string | undefined;
}

export interface ActionRequest {
  actor: string;
  target: ActionTarget;
  dryRun: boolean;
}

/** Progress of a run, told after each message. */
export interface ActionProgress {
  done: number;
  total: number;
  failed: number;
}

export interface DryRunResult {
  matched: { messageId: string; queue: string; replayCount: number }[];
}

/** Runs operator actions on parked messages through the library, records them, then refreshes the index. */
export interface Operator {
  /** Resolves once a dry run is done, or once a real run is recorded and started: `activityId` then follows it. */
  retry(request: ActionRequest): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  purge(request: ActionRequest): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  redirect(request: ActionRequest & { to: string }): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  /**
   * Replaces the data of one parked message and retries it (the library's `editAndReplay`: the
   * data is validated against the event's contract first, the event id is kept). The original
   * and the edited body are kept in the action's record. Throws the library's `OperationsError`
   * (`invalid_data` with `issues`, `message_not_found`…) after recording the refusal.
   */
  edit(request: { actor: string; deadLetterQueue: string; messageId: string; data: unknown }): Promise<{ activityId: number }>;
  /**
   * Re-publishes a producer's archived events (the selection, or only `ids` of it) to one
   * consumer queue, through the library's `republishArchived`: the same message ids, so the
   * consumer's inbox drops what it applied already. A dry run lists what would be sent.
   */
  archiveReplay(request: { actor: string; service: string; queue: string; selection: ArchiveSelection; ids?: readonly string[] | undefined; dryRun: boolean }): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  /** Progress of a run still going, by activity id. */
  progress(activityId: number): ActionProgress | undefined;
  /** Waits for every run in progress (shutdown). */
  close(): Promise<void>;
}

export interface OperatorOptions {
  broker: Broker;
  archives: ArchiveSources;
  store: IndexStore;
  activity: ActivityLog;
  indexer: Indexer;
  logger: Logger;
  retryPerSecond: number;
}

/** One library operation on one dead-letter queue, for the ids selected there. */
type Move = (queue: string, options: { ids: string[]; dryRun: boolean; ratePerSecond: number; onProgress: (outcome: ParkedOutcome) => void }) => Promise<ParkedRun>;

const matchedOf = (run: ParkedRun) => run.outcomes.map((outcome) => ({ messageId: outcome.id ?? '(no id)', queue: outcome.to ?? '', replayCount: outcome.replayCount ?? 0 }));

export function createOperator({ broker, archives, store, activity, indexer, logger, retryPerSecond }: OperatorOptions): Operator {
  const running = new Map<number, ActionProgress>();
  const tasks = new Set<Promise<void>>();

  /**
   * The message ids of the target per dead-letter queue, from the index: a group is what the
   * operator saw at the last scan. The library re-reads the queue and acts only on ids still there.
   */
  async function selectionOf(target: ActionTarget): Promise<Map<string, string[]>> {
    const ids = target.messageIds ?? [];
    const found =
      ids.length > 0
        ? (await Promise.all(ids.map((id) => store.byMessageId(id)))).flat()
        : await store.search({ fingerprint: target.fingerprint, deadLetterQueue: target.deadLetterQueue, limit: 10_000 });
    const byQueue = new Map<string, string[]>();
    for (const message of found) {
      if (target.deadLetterQueue && message.deadLetterQueue !== target.deadLetterQueue) continue;
      byQueue.set(message.deadLetterQueue, [...new Set([...(byQueue.get(message.deadLetterQueue) ?? []), message.messageId])]);
    }
    return new Map([...byQueue.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  function describeTarget(target: ActionTarget): string {
    const where = target.deadLetterQueue ? ` in ${target.deadLetterQueue}` : '';
    if (target.messageIds?.length) return `${target.messageIds.length} message(s)${where}: ${target.messageIds.slice(0, 5).join(', ')}${target.messageIds.length > 5 ? '…' : ''}`;
    if (target.fingerprint) return `group ${target.fingerprint}${where}`;
    return `every message${where}`;
  }

  async function run(action: ActionName, { actor, target, dryRun }: ActionRequest, move: Move, extra: Record<string, unknown> = {}) {
    if (!target.messageIds?.length && !target.fingerprint && !target.deadLetterQueue) throw new Error('an action needs message ids, a group or a dead-letter queue');
    const selection = await selectionOf(target);
    const queues = [...selection.keys()];
    const activityId = await activity.start({ actor, action, target: describeTarget(target), dryRun, detail: { ...extra, queues, ...target } });
    const options = (queue: string) => ({ ids: selection.get(queue) ?? [], ratePerSecond: retryPerSecond });
    if (dryRun) {
      const matched = [];
      for (const queue of queues) matched.push(...matchedOf(await indexer.exclusive(() => move(queue, { ...options(queue), dryRun: true, onProgress: () => {} }))));
      await activity.finish(activityId, `dry run: ${matched.length} message(s) would be affected`, { matched });
      return { activityId, dryRun: { matched } };
    }
    const total = [...selection.values()].reduce((sum, ids) => sum + ids.length, 0);
    const progress: ActionProgress = { done: 0, total, failed: 0 };
    running.set(activityId, progress);
    const task = (async () => {
      let moved = 0;
      const failures: string[] = [];
      try {
        for (const queue of queues) {
          const run = await indexer.exclusive(() =>
            move(queue, {
              ...options(queue),
              dryRun: false,
              onProgress: (outcome) => {
                progress.done += 1;
                if (outcome.status === 'failed') progress.failed += 1;
              },
            }),
          );
          moved += run.done;
          failures.push(...run.outcomes.filter((outcome) => outcome.status === 'failed').map((outcome) => `${outcome.id ?? '(no id)'}: ${outcome.error ?? 'failed'}`));
          if (action === 'retry') {
            const sent = run.outcomes.filter((outcome) => outcome.status === 'done');
            await activity.followReplays(activityId, sent.map((outcome) => ({ messageId: outcome.id ?? '(no id)', deadLetterQueue: queue, replayCount: outcome.replayCount ?? 0 })));
          }
          await indexer.refresh(queue);
        }
        await activity.finish(activityId, failures.length === 0 ? `done: ${moved} message(s)` : `partly done: ${moved} message(s), ${failures.length} failed`, { moved, failures: failures.slice(0, 50) });
      } catch (error) {
        logger.error({ err: error, activityId }, 'operator action failed');
        await activity.finish(activityId, `failed: ${error instanceof Error ? error.message : String(error)}`, { moved });
      } finally {
        running.delete(activityId);
      }
    })();
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
    return { activityId };
  }

  return {
    retry: (request) => run('retry', request, (queue, options) => replayParked(broker, queue, options)),
    // A purge publishes nothing, so no rate applies; it reports no progress per message.
    purge: (request) => run('purge', request, (queue, { ids, dryRun }) => purgeParked(broker, queue, { ids, dryRun })),
    redirect: ({ to, ...request }) => run('redirect', request, (queue, options) => redirectParked(broker, queue, { ...options, toQueue: to }), { to }),
    async edit({ actor, deadLetterQueue, messageId, data }) {
      const activityId = await activity.start({ actor, action: 'edit-retry', target: `message ${messageId} in ${deadLetterQueue}`, dryRun: false, detail: { deadLetterQueue, messageId } });
      try {
        const edited = await indexer.exclusive(() => editAndReplay(broker, deadLetterQueue, messageId, data));
        await activity.finish(activityId, 'done: 1 message(s)', {
          queue: edited.queue,
          originalBody: edited.originalBody,
          editedBody: edited.editedBody,
          originalSha256: edited.originalSha256,
        });
        await activity.followReplays(activityId, [{ messageId, deadLetterQueue, replayCount: edited.replayCount }]);
        await indexer.refresh(deadLetterQueue);
        return { activityId };
      } catch (error) {
        const issues = error instanceof OperationsError ? error.issues : [];
        await activity.finish(activityId, `refused: ${error instanceof Error ? error.message : String(error)}`, { issues: [...issues] });
        throw error;
      }
    },
    async archiveReplay({ actor, service, queue, selection, ids, dryRun }) {
      const sql = archives.sqlOf(service);
      if (!sql) throw new OperationsError('refused', `the console reads no archive of ${service} (CONSOLE_ARCHIVE_DATABASE_URLS)`);
      await broker.checkQueue(queue);
      const chosen = ids?.length ? new Set(ids) : undefined;
      const rows = async function* () {
        for await (const event of archivedEvents(sql, selection)) if (!chosen || chosen.has(event.message.envelope.id)) yield event;
      };
      const { total } = await browseArchive(sql, selection, { limit: 1 });
      const target = `${chosen ? `${chosen.size} event(s)` : `${total} event(s)`} of ${service}'s archive${selection.type ? ` (${selection.type})` : ''} to ${queue}`;
      const activityId = await activity.start({ actor, action: 'archive-replay', target, dryRun, detail: { service, queue, ...selection, ids: ids ? [...ids] : undefined } });
      if (dryRun) {
        const outcome = await republishArchived(broker, rows(), queue, { dryRun: true });
        const matched = outcome.wouldPublish.map((event) => ({ messageId: event.id, queue, replayCount: 0 }));
        await activity.finish(activityId, `dry run: ${matched.length} message(s) would be affected`, { matched });
        return { activityId, dryRun: { matched } };
      }
      const progress: ActionProgress = { done: 0, total: chosen?.size ?? total, failed: 0 };
      running.set(activityId, progress);
      const task = (async () => {
        try {
          const outcome = await republishArchived(broker, rows(), queue, { ratePerSecond: retryPerSecond, total: progress.total, onProgress: (step) => void (progress.done = step.published) });
          await activity.finish(activityId, outcome.failure ? `stopped after ${outcome.published} message(s): ${outcome.failure}` : `done: ${outcome.published} message(s)`, { published: outcome.published });
        } catch (error) {
          logger.error({ err: error, activityId }, 'archive replay failed');
          await activity.finish(activityId, `failed: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          running.delete(activityId);
        }
      })();
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
      return { activityId };
    },
    progress: (activityId) => running.get(activityId),
    async close() {
      await Promise.all(tasks);
    },
  };
}
