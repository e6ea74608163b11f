import type { Broker } from './broker.ts';
import { withParkedMessages, type ParkedMessage } from './dead-letters.ts';
import { describeError, OperationsError } from './errors.ts';
import type { AmqpProperties } from './held-message.ts';
import { inFlight } from './in-flight.ts';
import { pacer } from './pacer.ts';
import { describeParked, type ParkedEntry } from './parked-entry.ts';
import { replayHeader, replayProperties, type MessageFilter } from './parked-message.ts';

/** Header a redirected copy carries: the dead-letter queue it was moved out of. */
export const redirectHeader = { from: 'x-warren-redirected-from' } as const;

/**
 * Which parked messages of a queue an operation acts on: those with one of `ids` (when given)
 * that pass `filter` (when given). One of the two must be given; `filter: {}` selects every
 * message, so acting on a whole queue is always spelt out.
 */
export interface ParkedSelection {
  ids?: readonly string[] | undefined;
  filter?: MessageFilter | undefined;
}

/** What happened to one selected message. */
export interface ParkedOutcome {
  id: string | null;
  type: string | null;
  /** The dead-letter queue it was taken from. */
  from: string;
  /** Where it was (or would be) sent; null for a purge. */
  to: string | null;
  /** `done`: sent (confirmed) and removed, or purged; `dry_run`: would be; `failed`: left parked. */
  status: 'done' | 'dry_run' | 'failed';
  /** The `x-warren-replay-count` the copy carries (replay, redirect). */
  replayCount?: number;
  /** Why it failed (`failed` only). */
  error?: string;
}

/** The result of one replay, purge or redirect: one outcome per selected message, in queue order. */
export interface ParkedRun {
  queue: string;
  dryRun: boolean;
  /** Messages selected. */
  matched: number;
  /** Messages sent and removed (or purged); 0 on a dry run. */
  done: number;
  outcomes: ParkedOutcome[];
}

export interface ParkedActionOptions extends ParkedSelection {
  /** Report what would happen and change nothing; default false. */
  dryRun?: boolean;
  /** Act on at most this many messages (the first ones in the queue). */
  limit?: number | undefined;
  /** At most this many publishes a second; unbounded when undefined. */
  ratePerSecond?: number | undefined;
  /** Told of each outcome as it settles (in settling order). */
  onProgress?: (outcome: ParkedOutcome) => void;
  /** The clock of `x-warren-replayed-at`; default `new Date()`. */
  now?: () => Date;
}

function requireSelection({ ids, filter }: ParkedSelection, action: string): void {
  if (ids === undefined && filter === undefined) {
    throw new OperationsError('refused', `${action} needs ids or a filter (an empty filter selects every message)`);
  }
}

/**
 * The parked messages of `queues` that pass `filter`, read in full (`ParkedEntry`), queue by
 * queue in queue order. Browsing never loses a message: each one is taken with basic.get and
 * returned to its queue (nack, requeue), none is acked. Throws `OperationsError`
 * (`queue_not_found`) for a queue that does not exist.
 */
export async function listParked(broker: Broker, queues: readonly string[], filter: MessageFilter = {}): Promise<ParkedEntry[]> {
  const entries: ParkedEntry[] = [];
  for (const queue of queues) {
    entries.push(...(await withParkedMessages(broker, queue, { filter }, async (matched) => matched.map(({ message }) => describeParked(message, queue)))));
  }
  return entries;
}

interface Publication {
  to: string;
  properties: AmqpProperties;
}

/**
 * Publishes each selected message where `publication` says, confirmed before the parked one is
 * acked, at most 100 confirms outstanding and `ratePerSecond`; a failed publish leaves its
 * message parked and is reported, the others go on.
 */
async function move(
  broker: Broker,
  queue: string,
  options: ParkedActionOptions,
  publication: (parked: ParkedMessage, now: Date) => Publication,
  checkTargets: (matched: readonly ParkedMessage[]) => Promise<void>,
): Promise<ParkedRun> {
  const { ids, filter, limit, dryRun = false, ratePerSecond, onProgress, now = () => new Date() } = options;
  return withParkedMessages(broker, queue, { ids, filter, limit }, async (matched, browser) => {
    // Every destination must exist before anything moves, so a bad header cannot half-move a selection.
    await checkTargets(matched);
    const at = now();
    const base = (parked: ParkedMessage) => {
      const { to, properties } = publication(parked, at);
      const outcome = { id: parked.summary.id, type: parked.summary.type, from: queue, to, replayCount: Number(properties.headers[replayHeader.count]) };
      return { outcome, properties };
    };
    if (dryRun) {
      const outcomes = matched.map((parked): ParkedOutcome => ({ ...base(parked).outcome, status: 'dry_run' }));
      return { queue, dryRun, matched: matched.length, done: 0, outcomes };
    }
    const outcomes: ParkedOutcome[] = [];
    const window = inFlight(100);
    const pace = pacer(ratePerSecond);
    for (const [index, parked] of matched.entries()) {
      await pace.wait();
      await window.add(async () => {
        const { outcome, properties } = base(parked);
        let settled: ParkedOutcome;
        try {
          await broker.publishToQueue(outcome.to, parked.message.content, properties);
          browser.remove(parked.message);
          settled = { ...outcome, status: 'done' };
        } catch (error) {
          settled = { ...outcome, status: 'failed', error: describeError(error) };
        }
        outcomes[index] = settled;
        onProgress?.(settled);
      });
    }
    await window.drain();
    return { queue, dryRun, matched: matched.length, done: outcomes.filter((o) => o.status === 'done').length, outcomes };
  });
}

/**
 * Moves the selected parked messages of `queue` back to the queue each failed in
 * (`x-warren-queue`, else `x-first-death-queue`, else `queue` without `.dlq`), exactly as
 * `warren dlq replay`: same body, message id and properties, a fresh retry budget
 * (`x-warren-attempt` 1) and `x-warren-replay-count` + 1. Each copy is confirmed before the parked
 * one is acked, so a crash can only duplicate (inboxes drop duplicates), never lose. Throws
 * `OperationsError` (`queue_not_found`) before anything moves when `queue` or a destination does
 * not exist; a failed publish is a `failed` outcome and the message stays parked.
 */
export async function replayParked(broker: Broker, queue: string, options: ParkedActionOptions): Promise<ParkedRun> {
  requireSelection(options, 'replay');
  return move(
    broker,
    queue,
    options,
    ({ message, summary }, now) => ({ to: summary.queue, properties: replayProperties(message.properties, now) }),
    async (matched) => {
      for (const target of new Set(matched.map((m) => m.summary.queue))) await broker.checkQueue(target);
    },
  );
}

export interface RedirectOptions extends ParkedActionOptions {
  /** The queue the copies go to; it must exist and differ from the dead-letter queue. */
  toQueue: string;
}

/**
 * Moves the selected parked messages of `queue` to `toQueue` (another consumer's queue, or a
 * holding queue) as a replay does — same body, message id and properties, `x-warren-attempt` 1,
 * `x-warren-replay-count` + 1 — with `x-warren-redirected-from: <queue>`. `x-warren-queue` is
 * kept, so a message parked again from a holding queue still replays to where it first failed.
 * Each copy is confirmed before the parked one is acked. Throws `OperationsError`
 * (`queue_not_found`) when either queue is missing, (`refused`) when they are the same.
 */
export async function redirectParked(broker: Broker, queue: string, options: RedirectOptions): Promise<ParkedRun> {
  requireSelection(options, 'redirect');
  const { toQueue } = options;
  if (toQueue === queue) throw new OperationsError('refused', `cannot redirect ${queue} to itself`);
  await broker.checkQueue(toQueue);
  return move(
    broker,
    queue,
    options,
    ({ message }, now) => {
      const properties = replayProperties(message.properties, now);
      return { to: toQueue, properties: { ...properties, headers: { ...properties.headers, [redirectHeader.from]: queue } } };
    },
    async () => {},
  );
}

export interface PurgeOptions extends ParkedSelection {
  /** Report what would be deleted and delete nothing; default false. */
  dryRun?: boolean;
}

/**
 * Deletes the selected parked messages of `queue` for good (acks them); the others are returned.
 * Throws `OperationsError` (`queue_not_found`) for a missing queue.
 */
export async function purgeParked(broker: Broker, queue: string, options: PurgeOptions): Promise<ParkedRun> {
  requireSelection(options, 'purge');
  const { ids, filter, dryRun = false } = options;
  return withParkedMessages(broker, queue, { ids, filter }, async (matched, browser) => {
    const outcomes = matched.map(({ message, summary }): ParkedOutcome => {
      if (!dryRun) browser.remove(message);
      return { id: summary.id, type: summary.type, from: queue, to: null, status: dryRun ? 'dry_run' : 'done' };
    });
    return { queue, dryRun, matched: matched.length, done: dryRun ? 0 : matched.length, outcomes };
  });
}
