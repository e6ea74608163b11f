import { describeError, queueState, readOutboxStatus, type Broker, type OutboxStatus } from '@warren/operations';
import type { ArchiveSources } from './archive.ts';
import type { MessageRates, QueueRates, ServiceRateSample } from './message-rates.ts';

/** A producer's outbox backlog, or why it could not be read. */
export type OutboxSample = (OutboxStatus & { error?: undefined }) | { service: string; error: string };

/** One queue's state at one moment. */
export interface QueueSample extends QueueRates {
  queue: string;
  /** Ready messages (a passive declare); null when the queue does not exist. */
  depth: number | null;
  consumers: number | null;
  deadLetters: number | null;
  /** Change of depth per second since the previous sample (positive: growing). */
  depthRate: number | null;
  /** Why the message rates (from the consuming service's counters) are missing: "unreachable", "not measured". */
  ratesError: string | null;
}

/** A service's publish rate (its relay's counter) since the previous sample, or why there is none. */
export interface ServiceRate {
  service: string;
  published: number | null;
  error: string | null;
}

export interface QueueHistoryEntry {
  at: Date;
  depth: number | null;
  deadLetters: number | null;
  delivered: number | null;
  acked: number | null;
}

export interface QueueState {
  /** Samples every consumer queue and its dead-letter queue now, and keeps the sample. */
  sample(): Promise<{ at: Date; queues: QueueSample[]; outboxes: OutboxSample[]; services: ServiceRate[] }>;
  /** The kept samples, oldest first (at most `keep`), for the charts. */
  history(queue: string): QueueHistoryEntry[];
  /** The kept publish rates of a service, oldest first, for the charts. */
  publishHistory(service: string): (number | null)[];
}

const noRates: QueueRates = { delivered: null, acked: null, retried: null, deadLettered: null };

/** A queue `<service>.<handler>` is consumed by `<service>`, whose counters give its rates. */
function ratesOf(queue: string, services: readonly ServiceRateSample[]): QueueRates & { ratesError: string | null } {
  const owner = services.find((sample) => sample.service === queue.slice(0, queue.indexOf('.')));
  if (!owner) return { ...noRates, ratesError: 'not measured' };
  if (owner.error !== null) return { ...noRates, ratesError: owner.error };
  const rates = owner.rates.queues.get(queue);
  if (rates) return { ...rates, ratesError: null };
  // No delivery counted yet: nothing moved in a measured interval.
  return owner.rates.measured ? { delivered: 0, acked: 0, retried: 0, deadLettered: 0, ratesError: null } : { ...noRates, ratesError: null };
}

/**
 * Queue depth and consumers by passive declare (the library's `queueState`: no management plugin
 * needed), message rates from the services' counters (`rates`), kept over the last `keep` samples.
 */
export function createQueueState(broker: Broker, archives: ArchiveSources, { keep = 60, rates }: { keep?: number; rates?: MessageRates } = {}): QueueState {
  // The producers' outbox backlog, read from the same databases as their archive (read-only).
  const outboxes = async (): Promise<OutboxSample[]> =>
    Promise.all(
      archives.services.map(async (service) => {
        const sql = archives.sqlOf(service);
        try {
          if (!sql) throw new Error('no database');
          return await readOutboxStatus(sql, service);
        } catch (error) {
          return { service, error: describeError(error) };
        }
      }),
    );
  const samples = new Map<string, QueueHistoryEntry[]>();
  const published = new Map<string, (number | null)[]>();
  return {
    async sample() {
      const at = new Date();
      const [states, serviceRates, outboxSamples] = await Promise.all([queueState(broker), rates?.sample() ?? Promise.resolve([]), outboxes()]);
      const result: QueueSample[] = [];
      for (const state of states) {
        const { queue, depth, consumers } = state;
        const deadLetters = state.deadLetter.depth;
        const kept = samples.get(queue) ?? [];
        const previous = kept.at(-1);
        const seconds = previous ? (at.getTime() - previous.at.getTime()) / 1_000 : 0;
        const depthRate = previous && depth !== null && previous.depth !== null && seconds > 0 ? (depth - previous.depth) / seconds : null;
        const messageRates = ratesOf(queue, serviceRates);
        kept.push({ at, depth, deadLetters, delivered: messageRates.delivered, acked: messageRates.acked });
        samples.set(queue, kept.slice(-keep));
        result.push({ queue, depth, consumers, deadLetters, depthRate, ...messageRates });
      }
      const services = serviceRates.map((sample) => ({ service: sample.service, published: sample.rates?.published ?? null, error: sample.error }));
      for (const { service, published: rate } of services) published.set(service, [...(published.get(service) ?? []), rate].slice(-keep));
      return { at, queues: result, outboxes: outboxSamples, services };
    },
    history: (queue) => samples.get(queue) ?? [],
    publishHistory: (service) => published.get(service) ?? [],
  };
}
