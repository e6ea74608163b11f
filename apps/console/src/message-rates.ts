/**
 * Message rates from the services' Prometheus counters (`GET /metrics`): the stock broker has no
 * management plugin, so the console derives publish/deliver/ack rates from what the services count.
 */

/** One sample line of the Prometheus/OpenMetrics text format. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of an exposition (comments, types and exemplars skipped). */
export function parseExposition(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const [, name = '', labelText = '', valueText = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of labelText.matchAll(labelPair)) labels[key] = value.replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
    samples.push({ name, labels, value: Number(valueText) });
  }
  return samples;
}

/** A consumer's settlement results; these ack the delivery (a retry is acked too, after its copy went to a delay queue, but counts as retried). */
export const ackingResults = ['applied', 'duplicate', 'dead_lettered'] as const;

/** What one service had counted at one moment. */
export interface ServiceCounters {
  /** process_start_time_seconds: a different value means the counters restarted. */
  startedAt: number | null;
  published: number;
  /** Per consumer queue, per result. */
  consumed: Map<string, Record<string, number>>;
}

export function countersOf(samples: readonly MetricSample[]): ServiceCounters {
  const counters: ServiceCounters = { startedAt: null, published: 0, consumed: new Map() };
  for (const { name, labels, value } of samples) {
    if (name === 'process_start_time_seconds') counters.startedAt = value;
    else if (name === 'warren_messages_published_total') counters.published += value;
    else if (name === 'warren_messages_consumed_total' && labels.handler && labels.result) {
      const results = counters.consumed.get(labels.handler) ?? {};
      results[labels.result] = (results[labels.result] ?? 0) + value;
      counters.consumed.set(labels.handler, results);
    }
  }
  return counters;
}

/** Messages per second of one consumer queue; null when the interval cannot give a rate. */
export interface QueueRates {
  delivered: number | null;
  acked: number | null;
  retried: number | null;
  deadLettered: number | null;
}

export interface ServiceRates {
  /** False for a first sample or after a restart: no rate at all for this interval. */
  measured: boolean;
  published: number | null;
  queues: Map<string, QueueRates>;
}

const sum = (results: Record<string, number> | undefined, names: readonly string[] | undefined): number => Object.entries(results ?? {}).reduce((total, [result, count]) => (names === undefined || names.includes(result) ? total + count : total), 0);

/**
 * Per second between two samples of one service. A counter that went down, or a new process
 * start time, means the service restarted: that interval gives no rate (null), never a negative one.
 */
export function ratesBetween(previous: ServiceCounters | undefined, current: ServiceCounters, seconds: number): ServiceRates {
  const restarted = previous !== undefined && previous.startedAt !== null && current.startedAt !== null && previous.startedAt !== current.startedAt;
  const usable = previous !== undefined && seconds > 0 && !restarted;
  const rate = (before: number, now: number): number | null => (usable && now >= before ? (now - before) / seconds : null);
  const queues = new Map<string, QueueRates>();
  for (const [queue, results] of current.consumed) {
    const earlier = previous?.consumed.get(queue);
    // A labelled counter appears at its first increment, so a series absent before started at 0.
    const of = (names?: readonly string[]) => rate(sum(earlier, names), sum(results, names));
    queues.set(queue, { delivered: of(), acked: of(ackingResults), retried: of(['retried']), deadLettered: of(['dead_lettered']) });
  }
  return { measured: usable, published: rate(previous?.published ?? 0, current.published), queues };
}

/** One service's rates at one sample, or why there are none. */
export type ServiceRateSample = { service: string; error: null; rates: ServiceRates } | { service: string; error: string; rates: null };

export interface MessageRates {
  /** Reads every service's counters now and returns the rates since the previous sample. */
  sample(): Promise<ServiceRateSample[]>;
}

/** Samples `urls` (`service → /metrics URL`); a service that does not answer within `timeoutMs` is "unreachable". */
export function createMessageRates(urls: Record<string, string>, {
    timeoutMs = 2_000,
    fetchText = defaultFetch,
    now = Date.now,
  }: { timeoutMs?: number; fetchText?: (url: string, timeoutMs: number) => Promise<string>; now?: () => number } = {},): MessageRates {
  const previous = new Map<string, { at: number; counters: ServiceCounters }>();
  return {
    async sample() {
      return Promise.all(
        Object.entries(urls).map(async ([service, url]): Promise<ServiceRateSample> => {
          let counters: ServiceCounters;
          const at = now();
          try {
            counters = countersOf(parseExposition(await fetchText(url, timeoutMs)));
          } catch {
            // The next answer after an outage is compared with nothing: the process may have restarted.
            previous.delete(service);
            return { service, error: 'unreachable', rates: null };
          }
          const before = previous.get(service);
          previous.set(service, { at, counters });
          return { service, error: null, rates: ratesBetween(before?.counters, counters, before ? (at - before.at) / 1_000 : 0) };
        }),
      );
    },
  };
}

async function defaultFetch(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
