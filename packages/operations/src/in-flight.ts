/** Bounds how many confirms are awaited at once while publishes stay pipelined. */
export interface InFlight {
  /** Starts `task`, first waiting while `size` tasks are running. `task` must not reject. */
  add(task: () => Promise<void>): Promise<void>;
  /** Resolves once every started task has settled. */
  drain(): Promise<void>;
}

/** A window of at most `size` concurrent tasks (started in call order). */
export function inFlight(size: number): InFlight {
  const running = new Set<Promise<void>>();
  return {
    async add(task) {
      while (running.size >= size) await Promise.race(running);
      const started = task().finally(() => running.delete(started));
      running.add(started);
    },
    async drain() {
      await Promise.allSettled([...running]);
    },
  };
}
