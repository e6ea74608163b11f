/**
 * Fault injection for tests of the failure paths: with `WARREN_FAULT=transient:<queue>` every
 * first delivery attempt on that queue fails with a transient error before its handler runs, so
 * the retry path (delay queue, second attempt) can be observed end to end;
 * `transient:<queue>:<n>` fails the first `n` attempts. A no-op otherwise.
 */
export function injectedFault(queue: string, attempt: number): void {
  const fault = process.env['WARREN_FAULT'];
  if (!fault?.startsWith(`transient:${queue}`)) return;
  const rest = fault.slice(`transient:${queue}`.length);
  const attempts = rest === '' ? 1 : /^:\d+$/.test(rest) ? Number(rest.slice(1)) : 0;
  if (attempt <= attempts) throw new Error(`injected transient fault on ${queue} (attempt ${attempt})`);
}
