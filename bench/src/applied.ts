import type { EndToEndLatency } from './end-to-end.ts';
import { delay } from './timeout.ts';

/** How far the consumers got, in events (item.created) since the subject started. */
export interface AppliedCounts {
  /** Events the catalog produced (every committed write, answered or not). */
  produced: number;
  inventory: number;
  audit: number;
}

/**
 * What the bench reads from one subject's databases (Warren's or the naive services'), on its own
 * connections: the counts it waits on, and a phase's end-to-end latencies.
 */
export interface AppliedProbe {
  countApplied(): Promise<AppliedCounts>;
  /** The events of the phase whose SKUs start with `<skuPrefix>-`, from produced to applied. */
  endToEnd(skuPrefix: string): Promise<EndToEndLatency>;
  close(): Promise<void>;
}

export interface WaitOptions {
  /** Writes answered 201 since the subject started; the produced count is awaited when higher. */
  accepted: number;
  timeoutMs: number;
  pollMs?: number;
}

/**
 * Polls until both consumers applied every event the catalog produced (at least `accepted`), and
 * resolves with the counts and how long it waited. Rejects with the counts reached when
 * `timeoutMs` pass first.
 */
export async function waitUntilApplied(probe: AppliedProbe, { accepted, timeoutMs, pollMs = 100 }: WaitOptions): Promise<AppliedCounts & { waitedMs: number }> {
  const startedAt = Date.now();
  for (;;) {
    const counts = await probe.countApplied();
    const target = Math.max(accepted, counts.produced);
    const waitedMs = Date.now() - startedAt;
    if (counts.inventory >= target && counts.audit >= target) return { ...counts, waitedMs };
    if (waitedMs > timeoutMs) {
      throw new Error(`events not applied within ${timeoutMs / 1_000} s: ${target} expected, inventory ${counts.inventory}, audit ${counts.audit}`);
    }
    await delay(pollMs);
  }
}
