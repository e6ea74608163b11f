import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createCleanup, dropDatabases, terminateChildren, type Cleanup } from './cleanup.ts';
import { loadBenchConfig, type BenchConfig } from './config.ts';

/** What every bench entry point starts with: its config, log, cleanup stack and the names of this run. */
export interface BenchRun {
  config: BenchConfig;
  /** Writes `[<label>   12.3 s] <message>` to stderr, timed from the start of the run. */
  log: (message: string) => void;
  cleanup: Cleanup;
  /** A random id for this run's names; `prefix` (`bench_<run>`) begins every database it creates. */
  run: string;
  prefix: string;
  /** Seconds since the run started. */
  seconds: () => number;
  /** Adds the last-resort clean-up: stops child processes still running and drops every database of `prefix`. */
  cleanUpLeftovers: () => void;
  /**
   * Runs `main`; a failure is logged and sets exit code 1. Then runs the clean-up (a failed action
   * also sets exit code 1) and gives the process 5 s to exit on its own before it is ended.
   */
  finish: (main: () => Promise<void>) => Promise<void>;
}

/**
 * Starts a bench run: loads the config (`loadBenchConfig`, which throws on a bad setting) and, on
 * SIGINT or SIGTERM, runs the clean-up and exits with 130.
 */
export function startBenchRun(label: string): BenchRun {
  const began = performance.now();
  const log = (message: string): void => console.error(`[${label} ${((performance.now() - began) / 1_000).toFixed(1).padStart(5)} s] ${message}`);

  const config = loadBenchConfig();
  const cleanup = createCleanup();
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: cleaning up`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const run = randomBytes(4).toString('hex');
  const prefix = `bench_${run}`;

  return {
    config,
    log,
    cleanup,
    run,
    prefix,
    seconds: () => (performance.now() - began) / 1_000,
    cleanUpLeftovers() {
      cleanup.add('leftover processes and databases', async () => {
        const pids = await terminateChildren();
        if (pids.length > 0) log(`stopped leftover processes ${pids.join(', ')}`);
        await dropDatabases(config.adminUrl, prefix);
      });
    },
    async finish(main) {
      try {
        await main();
      } catch (error) {
        log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        process.exitCode = 1;
      } finally {
        const failures = await cleanup.run();
        for (const failure of failures) log(`cleanup failed: ${failure}`);
        if (failures.length > 0) process.exitCode = 1;
        log('cleaned up');
      }
      // A handle someone forgot must not keep the run alive: leave 5 s to exit on its own.
      setTimeout(() => process.exit(), 5_000).unref();
    },
  };
}
