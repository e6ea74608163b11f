import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UsageError } from './errors.ts';

/**
 * Parses a command's options strictly (no positionals, no unknown options); any problem throws
 * `UsageError` carrying `usage`.
 */
export function parseOptions<T extends ParseArgsOptionsConfig>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // node's messages go on to explain `--`; the first sentence is what the operator needs.
    const message = error instanceof Error ? (error.message.split('. ')[0] ?? error.message) : String(error);
    throw new UsageError(message.replace(/\.$/, ''), usage);
  }
}

/** Returns `value`, or throws `UsageError` naming the missing `--option`. */
export function required(value: string | undefined, option: string, usage: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${option}`, usage);
  return value;
}

/** Parses a positive integer option (`--limit`); undefined stays undefined. */
export function positiveInteger(value: string | undefined, option: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new UsageError(`--${option} must be a positive integer, got ${JSON.stringify(value)}`, usage);
  }
  return parsed;
}

/** Parses a positive number option (`--rate 0.5` is one message every two seconds). */
export function positiveNumber(value: string | undefined, option: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`--${option} must be a positive number, got ${JSON.stringify(value)}`, usage);
  }
  return parsed;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?<zone>Z|[+-]\d{2}:?\d{2})?)?$/i;

// new Date() rolls 2025-02-30 over into March instead of refusing it.
function realCalendarDay(text: string): boolean {
  const [year = 0, month = 0, day = 0] = text.slice(0, 10).split('-').map(Number);
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/**
 * Parses an ISO-8601 date or date-time (`2025-06-01`, `2025-06-01T10:00`, `…T10:00:00+02:00`).
 * Without an offset the time is UTC, so the same command means the same window everywhere.
 */
export function isoDate(value: string | undefined, option: string, usage: string): Date | undefined {
  if (value === undefined) return undefined;
  const match = isoInstant.exec(value.trim());
  const text = value.trim().replace(' ', 'T');
  const zoned = match?.groups?.['zone'] !== undefined || text.length === 10;
  const date = match ? new Date(zoned ? text : `${text}Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !realCalendarDay(text)) {
    throw new UsageError(`--${option} is not an ISO-8601 date or date-time: ${JSON.stringify(value)} (e.g. 2025-06-01T10:00:00Z)`, usage);
  }
  return date;
}

/** Requires a dead-letter queue name: browsing a live work queue would count against its delivery limit. */
export function deadLetterQueue(value: string | undefined, usage: string): string {
  const queue = required(value, 'queue', usage);
  if (!queue.endsWith('.dlq')) {
    throw new UsageError(`--queue must name a dead-letter queue (<service>.<handler>.dlq), got ${queue}`, usage);
  }
  return queue;
}

/**
 * The options `dlq replay` and `dlq redirect` share for choosing parked messages and how fast they
 * move; each command adds its own (`--id`, `--to`). `--dry-run` defaults to false.
 */
export const parkedMessageOptions = {
  queue: { type: 'string' },
  type: { type: 'string' },
  error: { type: 'string' },
  limit: { type: 'string' },
  rate: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

/** The usage lines of `parkedMessageOptions` but `--queue`, for the end of a command's usage. */
export const parkedMessageHelp = `  --type T       only this event type (item.created) or routing key (item.created.v1)
  --error TEXT   only messages whose error contains TEXT (case-insensitive)
  --limit N      at most N messages
  --rate N       at most N messages per second
  --dry-run      list what would move; change nothing
`;

/** What `parkedMessages` reads of the values `parseOptions` returned for `parkedMessageOptions`. */
export interface ParkedMessageValues {
  type?: string | undefined;
  error?: string | undefined;
  limit?: string | undefined;
  rate?: string | undefined;
  'dry-run'?: boolean | undefined;
}

/** The parsed `parkedMessageOptions`, but `--queue`, in the shape `replayParked` and `redirectParked` take. */
export interface ParkedMessages {
  filter: { type: string | undefined; error: string | undefined };
  limit: number | undefined;
  ratePerSecond: number | undefined;
  dryRun: boolean;
}

/**
 * Parses `--limit`, `--rate`, `--type`, `--error` and `--dry-run`; throws `UsageError` for a
 * malformed `--limit` (checked first) or `--rate`. `--queue` is left to the caller, which checks it
 * (`deadLetterQueue`) and its own required options before these, so a missing option is named first.
 */
export function parkedMessages(values: ParkedMessageValues, usage: string): ParkedMessages {
  const limit = positiveInteger(values.limit, 'limit', usage);
  const ratePerSecond = positiveNumber(values.rate, 'rate', usage);
  return { filter: { type: values.type, error: values.error }, limit, ratePerSecond, dryRun: values['dry-run'] ?? false };
}
