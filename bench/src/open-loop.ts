import { performance } from 'node:perf_hooks';
import { createPool, createTally, epochNow, errorCount, postItem, type WriteTally } from './post-item.ts';
import { createRecorder, perSecond, summarize, type Summary } from './stats.ts';

export interface OpenLoopOptions {
  baseUrl: string;
  /** Writes per second. */
  rate: number;
  durationMs: number;
  skuPrefix: string;
  /** Requests in flight at most; beyond that, due requests wait (and turn late). */
  maxInFlight: number;
  /** Sent this much after its scheduled time, a request counts as late. */
  lateThresholdMs: number;
  /** Requests not sent this long after the schedule ended are given up (counted as unsent). */
  giveUpAfterMs?: number;
}

export interface OpenLoopResult extends WriteTally {
  rate: number;
  scheduled: number;
  sent: number;
  unsent: number;
  failed: number;
  late: number;
  maxLagMs: number;
  /** Accepted writes over the sending window (the schedule, or longer when sending fell behind). */
  acceptedPerSecond: number;
  /** Of the accepted writes: request sent to answer read (service time). */
  latencyMs: Summary;
  /** Of the accepted writes: scheduled time to answer read (includes any wait to be sent). */
  latencyFromScheduleMs: Summary;
  firstSendEpochMs: number;
}

/**
 * Fixed rate, open loop: request `i` is due at `start + i / rate` whatever the answers do; a 1 ms
 * timer sends every due request while fewer than `maxInFlight` are outstanding. Lateness and
 * failures are counted, never compensated by slowing down.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { baseUrl, rate, durationMs, skuPrefix, maxInFlight, lateThresholdMs, giveUpAfterMs = 20_000 } = options;
  const pool = createPool(baseUrl, maxInFlight);
  const tally = createTally();
  const fromSend = createRecorder(Math.ceil((rate * durationMs) / 1_000));
  const fromSchedule = createRecorder(Math.ceil((rate * durationMs) / 1_000));
  const scheduled = Math.round((rate * durationMs) / 1_000);
  const intervalMs = 1_000 / rate;
  let sent = 0;
  let inFlight = 0;
  let late = 0;
  let maxLagMs = 0;
  let lastSendAt = 0;
  let givenUp = false;
  const firstSendEpochMs = epochNow();
  const startedAt = performance.now();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const send = (seq: number): void => {
    const dueAt = startedAt + seq * intervalMs;
    const sentAt = performance.now();
    const lag = sentAt - dueAt;
    if (lag > lateThresholdMs) late++;
    if (lag > maxLagMs) maxLagMs = lag;
    lastSendAt = sentAt;
    inFlight++;
    void postItem(pool, skuPrefix, seq, tally).then((accepted) => {
      const answeredAt = performance.now();
      inFlight--;
      if (accepted) {
        fromSend.add(answeredAt - sentAt);
        fromSchedule.add(answeredAt - dueAt);
      }
      pump();
    });
  };

  function pump(): void {
    const now = performance.now();
    if (!givenUp && now > startedAt + durationMs + giveUpAfterMs) givenUp = true;
    const due = givenUp ? sent : Math.min(scheduled, Math.floor((now - startedAt) / intervalMs) + 1);
    while (sent < due && inFlight < maxInFlight) send(sent++);
    if ((sent === scheduled || givenUp) && inFlight === 0) finish();
  }

  const timer = setInterval(pump, 1);
  pump();
  try {
    await finished;
  } finally {
    clearInterval(timer);
    await pool.close();
  }
  return {
    ...tally,
    rate,
    scheduled,
    sent,
    unsent: scheduled - sent,
    failed: errorCount(tally),
    late,
    maxLagMs,
    acceptedPerSecond: perSecond(tally.accepted, Math.max(durationMs, lastSendAt - startedAt)),
    latencyMs: summarize(fromSend.values()),
    latencyFromScheduleMs: summarize(fromSchedule.values()),
    firstSendEpochMs,
  };
}
