// The SDK is started by the --import preload, before the service's own code exists, so its
// shutdown is kept in one well-known process-wide slot.
const slot = Symbol.for('warren.telemetry.shutdown');
type Holder = { [slot]?: () => Promise<void> };

export function rememberShutdown(shutdown: () => Promise<void>): void {
  (globalThis as Holder)[slot] = shutdown;
}

/** Flushes and stops the OpenTelemetry SDK if the preload started one; a no-op otherwise. */
export async function shutdownTelemetry(): Promise<void> {
  await (globalThis as Holder)[slot]?.();
}
