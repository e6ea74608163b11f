import { inspect } from 'node:util';

/**
 * Stable codes of the failures an operation reports: a caller maps them to an exit code (the
 * CLI) or an HTTP status (the console).
 */
export type OperationsErrorCode =
  /** A queue named by the caller or by a message's headers does not exist. */
  | 'queue_not_found'
  /** No parked message has the given id. */
  | 'message_not_found'
  /** The broker, a database or the management API cannot be reached or refused a request. */
  | 'unavailable'
  /** Edited data breaks the event's contract, or the event is not part of the contract. */
  | 'invalid_data'
  /** A request the operation refuses as such (e.g. redirecting a queue to itself). */
  | 'refused'
  /** A client tool (`pg_dump`, `pg_restore`) failed or is missing, or its output did not read as expected. */
  | 'tool_failed';

/** The HTTP status each code answers with in a web face (the CLI exits 1 for every one). */
const statusOf: Record<OperationsErrorCode, number> = {
  queue_not_found: 404,
  message_not_found: 404,
  unavailable: 503,
  invalid_data: 422,
  refused: 409,
  tool_failed: 500,
};

/**
 * A failure an operator can act on (missing queue, unreachable broker…). Its message is one
 * sentence meant for the operator as it stands; `code` says what kind it is and `status` the
 * HTTP status it maps to.
 */
export class OperationsError extends Error {
  override readonly name = 'OperationsError';
  readonly code: OperationsErrorCode;
  readonly status: number;
  /** Per-field problems, for `invalid_data`; empty otherwise. */
  readonly issues: readonly string[];

  constructor(code: OperationsErrorCode, message: string, { cause, issues = [] }: { cause?: unknown; issues?: readonly string[] } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.status = statusOf[code];
    this.issues = issues;
  }
}

/** The message of any thrown value, with its causes, for one line of a report. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current !== undefined && parts.length < 4) {
    parts.push(current instanceof Error ? current.message : typeof current === 'string' ? current : inspect(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.filter((part) => part !== '').join(': ');
}
