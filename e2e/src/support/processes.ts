import { spawnService, type RunningSystem, type ServiceName, type ServiceProcess } from '@warren/testing';

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the process has exited (at once if it already has). */
export function exitOf(service: ServiceProcess): Promise<Exit> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves with the exit of a process that is expected to die by itself (a failpoint); rejects after `timeoutMs`. */
export async function crashOf(service: ServiceProcess, timeoutMs = 30_000): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${service.name} did not crash within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([exitOf(service), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Another process of `service` on the system's database and vhost (a second relay or consumer). */
export function spawnInstance(system: RunningSystem, service: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess> {
  // Its own port: the system's instance keeps the one the console reads its counters from.
  return spawnService(service, { env: { ...system.envOf(service), PORT: '0', ...env } });
}

/** Restarts a service as a supervisor would, for as long as it keeps dying by SIGKILL. */
export interface Supervisor {
  /** How many times the service was restarted after a SIGKILL. */
  readonly restarts: number;
  /** Stops restarting; resolves when any restart in progress is done. */
  stop(): Promise<void>;
}

/**
 * Restarts `service` with `env` each time it dies by SIGKILL (a crash loop), at most
 * `maxRestarts` times; any other exit ends the supervision. A process that dies while starting
 * (before it logged "service started") counts as a crash too: it is started again.
 */
export function superviseCrashLoop(system: RunningSystem, service: ServiceName, env: Record<string, string>, maxRestarts = 8): Supervisor {
  let restarts = 0;
  let stopped = false;
  let restarting: Promise<unknown> = Promise.resolve();
  let dead: ServiceProcess | undefined;
  void (async () => {
    while (!stopped && restarts < maxRestarts) {
      // After a failed start `services[service]` is still the process that died before it.
      const exit = dead ? { signal: 'SIGKILL' } : await exitOf(system.services[service]);
      if (stopped || exit.signal !== 'SIGKILL') return;
      restarts += 1;
      const previous = system.services[service];
      restarting = system.restart(service, env).then(
        () => (dead = undefined),
        () => (dead = previous),
      );
      await restarting;
    }
  })();
  return {
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      await restarting;
    },
  };
}
