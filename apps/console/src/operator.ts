import { pacer, type Broker } from '@warren/operations';
import type { Logger } from '@warren/telemetry';
import type { ActionName, ActivityLog } from './activity.ts';
import { purgeParked, redirectParked, replayParked, type ActionOutcome, type ActionProgress, type ParkedSelection } from './interim/parked.ts';
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

export interface DryRunResult {
  matched: ActionOutcome['matched'];
}

/** Runs operator actions on parked messages through the library, records them, then refreshes the index. */
export interface Operator {
  /** Resolves once a dry run is done, or once a real run is recorded and started: `activityId` then follows it. */
  retry(request: ActionRequest): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  purge(request: ActionRequest): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  redirect(request: ActionRequest & { to: string }): Promise<{ activityId: number; dryRun?: DryRunResult }>;
  /** Progress of a run still going, by activity id. */
  progress(activityId: number): ActionProgress | undefined;
  /** Waits for every run in progress (shutdown). */
  close(): Promise<void>;
}

export interface OperatorOptions {
  broker: Broker;
  store: IndexStore;
  activity: ActivityLog;
  indexer: Indexer;
  logger: Logger;
  retryPerSecond: number;
}

type Move = (queue: string, selection: ParkedSelection, options: { dryRun: boolean; pace: { wait(): Promise<void> }; onProgress: (progress: ActionProgress) => void }) => Promise<ActionOutcome>;

export function createOperator({ broker, store, activity, indexer, logger, retryPerSecond }: OperatorOptions): Operator {
  const running = new Map<number, ActionProgress>();
  const tasks = new Set<Promise<void>>();

  /** The dead-letter queues holding the target, from the index (the broker is re-read by the move itself). */
  async function queuesOf(target: ActionTarget): Promise<string[]> {
    if (target.deadLetterQueue) return [target.deadLetterQueue];
    const ids = target.messageIds ?? [];
    const found = ids.length > 0 ? (await Promise.all(ids.map((id) => store.byMessageId(id)))).flat() : await store.search({ fingerprint: target.fingerprint, limit: 10_000 });
    return [...new Set(found.map((message) => message.deadLetterQueue))].sort();
  }

  function describeTarget(target: ActionTarget): string {
    const where = target.deadLetterQueue ? ` in ${target.deadLetterQueue}` : '';
    if (target.messageIds?.length) return `${target.messageIds.length} message(s)${where}: ${target.messageIds.slice(0, 5).join(', ')}${target.messageIds.length > 5 ? '…' : ''}`;
    if (target.fingerprint) return `group ${target.fingerprint}${where}`;
    return `every message${where}`;
  }

  async function run(action: ActionName, { actor, target, dryRun }: ActionRequest, move: Move, extra: Record<string, unknown> = {}) {
    if (!target.messageIds?.length && !target.fingerprint && !target.deadLetterQueue) throw new Error('an action needs message ids, a group or a dead-letter queue');
    const selection: ParkedSelection = { messageIds: target.messageIds, fingerprint: target.fingerprint };
    const queues = await queuesOf(target);
    const activityId = await activity.start({ actor, action, target: describeTarget(target), dryRun, detail: { ...extra, queues, ...target } });
    const pace = pacer(retryPerSecond);
    if (dryRun) {
      const matched = [];
      for (const queue of queues) matched.push(...(await move(queue, selection, { dryRun: true, pace, onProgress: () => {} })).matched);
      await activity.finish(activityId, `dry run: ${matched.length} message(s) would be affected`, { matched: matched.length });
      return { activityId, dryRun: { matched } };
    }
    const progress: ActionProgress = { done: 0, total: 0, failed: 0 };
    running.set(activityId, progress);
    const task = (async () => {
      let moved = 0;
      const failures: string[] = [];
      try {
        for (const queue of queues) {
          const base = { ...progress };
          const outcome = await move(queue, selection, {
            dryRun: false,
            pace,
            onProgress: (step) => Object.assign(progress, { done: base.done + step.done, total: base.done + step.total, failed: base.failed + step.failed }),
          });
          moved += outcome.moved;
          failures.push(...outcome.failures);
          if (action === 'retry') {
            const sent = outcome.matched.filter((entry) => !outcome.failures.some((failure) => failure.startsWith(`${entry.messageId}:`)));
            await activity.followReplays(activityId, sent.map((entry) => ({ messageId: entry.messageId, deadLetterQueue: queue, replayCount: entry.replayCount })));
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
    retry: (request) => run('retry', request, (queue, selection, options) => replayParked(broker, queue, selection, options)),
    purge: (request) => run('purge', request, (queue, selection, options) => purgeParked(broker, queue, selection, options)),
    redirect: ({ to, ...request }) => run('redirect', request, (queue, selection, options) => redirectParked(broker, queue, selection, to, options), { to }),
    progress: (activityId) => running.get(activityId),
    async close() {
      await Promise.all(tasks);
    },
  };
}
