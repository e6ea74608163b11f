/**
 * Fault injection for tests of the failure paths: with `WARREN_FAULT=transient:<queue>` every
 * first delivery attempt on that queue fails with a transient error before its handler runs, so
 * the retry path (delay queue, second attempt) can be observed end to end. A no-op otherwise.
 */
export function injectedFault(queue: string, attempt: number): void {
  const fault = process.env['WARREN_FAULT'];
  if (fault === `transient:${queue}` && attempt === 1) throw new Error(`injected transient fault on ${queue}`);
}
