import { inspect } from 'node:util';

/** A mistake in how warren was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly usage: string | undefined;

  constructor(message: string, usage?: string) {
    super(message);
    this.usage = usage;
  }
}

/** A failure the operator can act on (missing queue, unreachable database…): exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The message of any thrown value, with its causes, for one line of stderr. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 4) {
    parts.push(current instanceof Error ? current.message : typeof current === 'string' ? current : inspect(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.filter((part) => part !== '').join(': ');
}
