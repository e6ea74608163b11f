import { setTimeout as sleep } from 'node:timers/promises';

/** Spaces calls evenly: `wait()` resolves when the next of at most `perSecond` per second may go. */
export interface Pacer {
  wait(): Promise<void>;
}

/** A pacer for `perSecond` (none when undefined: `wait` resolves at once). Starts on the first call. */
export function pacer(perSecond: number | undefined): Pacer {
  let started: number | undefined;
  let calls = 0;
  return {
    async wait() {
      if (perSecond === undefined) return;
      started ??= performance.now();
      const due = started + (calls * 1_000) / perSecond;
      calls += 1;
      const delay = due - performance.now();
      if (delay > 0) await sleep(delay);
    },
  };
}
