import { performance } from 'node:perf_hooks';
import { createPool, createTally, epochNow, errorCount, postItem, type WriteTally } from './post-item.ts';
import { createRecorder, perSecond, summarize, type Summary } from './stats.ts';

export interface ClosedLoopOptions {
  baseUrl: string;
  concurrency: number;
  durationMs: number;
  skuPrefix: string;
}

export interface ClosedLoopResult extends WriteTally {
  concurrency: number;
  sent: number;
  failed: number;
  /** First request sent to last answer received. */
  elapsedMs: number;
  acceptedPerSecond: number;
  /** Of the accepted writes, request sent to answer read. */
  latencyMs: Summary;
  firstSendEpochMs: number;
  lastAnswerEpochMs: number;
}

/**
 * Full speed: `concurrency` clients each POST a new item, wait for the answer and POST the next,
 * until `durationMs` have passed since the start (requests in flight then are finished).
 */
export async function runClosedLoop({ baseUrl, concurrency, durationMs, skuPrefix }: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const pool = createPool(baseUrl, concurrency);
  const tally = createTally();
  const latency = createRecorder(16_384);
  let seq = 0;
  const firstSendEpochMs = epochNow();
  const startedAt = performance.now();
  const stopAt = startedAt + durationMs;
  const client = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      const sentAt = performance.now();
      if (await postItem(pool, skuPrefix, seq++, tally)) latency.add(performance.now() - sentAt);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, client));
  } finally {
    await pool.close();
  }
  const elapsedMs = performance.now() - startedAt;
  return {
    ...tally,
    concurrency,
    sent: seq,
    failed: errorCount(tally),
    elapsedMs,
    acceptedPerSecond: perSecond(tally.accepted, elapsedMs),
    latencyMs: summarize(latency.values()),
    firstSendEpochMs,
    lastAnswerEpochMs: firstSendEpochMs + elapsedMs,
  };
}
