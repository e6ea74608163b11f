/**
 * Fault injection for crash tests: when the environment variable `WARREN_FAILPOINT` names this
 * point, the process kills itself with SIGKILL right here (no cleanup, no flush), exactly as a
 * crash or `kill -9` would. A no-op otherwise.
 */
export function failpoint(name: string): void {
  if (process.env['WARREN_FAILPOINT'] === name) process.kill(process.pid, 'SIGKILL');
}
