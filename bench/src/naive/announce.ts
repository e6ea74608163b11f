/** One JSON log line on stdout, the way the naive processes talk to the bench that started them. */
export function logLine(level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, msg, ...extra })}\n`);
}

/** A required environment variable; throws naming it when absent. */
export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** A positive integer from the environment, `fallback` when absent. */
export function integerSetting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Stops the process with `stop()` on SIGTERM or SIGINT, once. */
export function stopOnSignal(stop: () => Promise<void>): void {
  const onSignal = (): void => {
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
