let hits = 0;

/**
 * Fault injection for crash tests. When the environment variable `WARREN_FAILPOINT` names this
 * point (`relay.after-claim`), or this point and key (`consumer.before-handle:<message id>`), the
 * process kills itself with SIGKILL right here (no cleanup, no flush), exactly as a crash or
 * `kill -9` would. `WARREN_FAILPOINT_AFTER=<n>` lets the first n-1 matching hits of the process
 * pass and fires on the nth (default 1), so a crash can land mid-stream. A no-op otherwise.
 */
export function failpoint(name: string, key?: string): void {
  const armed = process.env['WARREN_FAILPOINT'];
  if (armed === undefined || (armed !== name && (key === undefined || armed !== `${name}:${key}`))) return;
  hits += 1;
  if (hits >= Number(process.env['WARREN_FAILPOINT_AFTER'] ?? 1)) process.kill(process.pid, 'SIGKILL');
}
