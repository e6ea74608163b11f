import type { RunningService } from './start-service.ts';

/**
 * The body of every `main.ts`: starts the service, and on SIGTERM or SIGINT closes it gracefully
 * (exit 0), or exits 1 if closing takes longer than the service's shutdown timeout. A start-up failure is
 * printed as one clear line on stderr, with its cause, and exits 1.
 */
export async function runMain(start: () => Promise<RunningService>): Promise<void> {
  let service: RunningService;
  try {
    service = await start();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
    process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      service.logger.error({ timeout_ms: service.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, service.shutdownTimeoutMs);
    timer.unref();
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
