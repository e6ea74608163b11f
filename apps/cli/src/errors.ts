export { describeError } from '@warren/operations';

/** A mistake in how warren was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/**
 * A failure of the CLI's own (an unknown service, a refused option combination): exit code 1, like
 * an `OperationsError` from `@warren/operations`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
