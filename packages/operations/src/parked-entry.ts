import { failureHeader } from '@warren/messaging';
import type { HeldMessage } from './held-message.ts';
import { count, jsonBody, summarize, text, timestampIso, type DeathEntry, type ParkedSummary } from './parked-message.ts';
import { plain } from './plain.ts';

/** The broker's own account of a dead-lettering (`x-death`), as far as the message carries one. */
export interface DeathRecord {
  /** `delivery_limit`, `rejected`, `expired`, `maxlen`. */
  reason: string | null;
  /** How many times the message died this way in that queue. */
  count: number | null;
  queue: string | null;
  time: string | null;
}

/**
 * Everything an operator sees of one parked message: the `dlq list` summary, the failure taken
 * apart, the event's identity, and the message itself (body, properties, headers) as plain data.
 */
export interface ParkedEntry extends ParkedSummary {
  /** The envelope's type (`item.created`), without version. */
  eventType: string | null;
  eventVersion: number | null;
  /** The routing key it was first published with (`item.created.v1`). */
  routingKey: string | null;
  /** The envelope's subject (the aggregate id). */
  subject: string | null;
  correlationId: string | null;
  /** The service that consumes the queue it failed in: the queue name up to its first dot. */
  service: string;
  /** From the `x-warren-error-*` headers; null for a broker dead-letter that never reached a handler's failure path. */
  errorType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The first `at …` line of the stack, without `at ` (`handler (inventory/src/x.ts:12:11)`). */
  stackTopFrame: string | null;
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  /** The `x-death` entry of the queue it failed in (else the first one); null when it has none. */
  death: DeathRecord | null;
  /** The body parsed as JSON, else its text. */
  body: unknown;
  bodyBytes: number;
  /** The AMQP properties except headers, as plain data. */
  properties: Record<string, unknown>;
  /** Every header, as plain data (AMQP timestamps as ISO strings). */
  headers: Record<string, unknown>;
  /** The exchange it arrived through (`''` when published straight to the dead-letter queue) and its routing key then. */
  arrival: { exchange: string; routingKey: string };
}

function parsedBody(message: HeldMessage): unknown {
  const content = message.content.toString('utf8');
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

/** The first stack frame (`    at fn (file:1:2)`) of a stack text, without its `at `. */
export function stackTopFrame(stack: string | undefined): string | null {
  const frame = stack?.split('\n').find((line) => /^\s+at /.test(line));
  return frame === undefined ? null : frame.trim().replace(/^at /, '');
}

function deathOf(headers: Record<string, unknown>, queue: string): DeathRecord | null {
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as DeathEntry[]) : [];
  const death = deaths.find((entry) => entry.queue === queue) ?? deaths[0];
  const firstReason = text(headers['x-first-death-reason']);
  if (death === undefined) {
    return firstReason === undefined ? null : { reason: firstReason, count: null, queue: text(headers['x-first-death-queue']) ?? null, time: null };
  }
  return { reason: text(death.reason) ?? null, count: count(death.count) ?? null, queue: text(death.queue) ?? null, time: timestampIso(death.time) ?? null };
}

function firstRoutingKey(headers: Record<string, unknown>): string | undefined {
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as DeathEntry[]) : [];
  const keys = deaths.at(-1)?.['routing-keys'];
  return Array.isArray(keys) ? text(keys[0]) : undefined;
}

/**
 * Reads one parked message of `deadLetterQueue` into a `ParkedEntry`. Pure: nothing is settled.
 * A broker dead-letter (no `x-warren-*` headers) has null error fields and its `x-death` in `death`.
 */
export function describeParked(message: HeldMessage, deadLetterQueue: string): ParkedEntry {
  const summary = summarize(message, deadLetterQueue);
  const { headers, ...properties } = message.properties;
  const body = jsonBody(message);
  const version = body?.['version'];
  const byBroker = summary.parkedBy === 'broker';
  const death = deathOf(headers, summary.queue);
  const lastFailureAt = summary.failedAt;
  return {
    ...summary,
    eventType: text(body?.['type']) ?? null,
    eventVersion: typeof version === 'number' ? version : null,
    routingKey: text(headers[failureHeader.originalRoutingKey]) ?? firstRoutingKey(headers) ?? message.properties.type ?? null,
    subject: text(body?.['subject']) ?? null,
    correlationId: message.properties.correlationId ?? text(headers['correlation_id']) ?? null,
    service: summary.queue.split('.')[0] ?? summary.queue,
    errorType: byBroker ? null : (text(headers[failureHeader.errorType]) ?? null),
    errorCode: byBroker ? null : (text(headers[failureHeader.errorCode]) ?? null),
    errorMessage: byBroker ? null : (text(headers[failureHeader.errorMessage]) ?? null),
    stackTopFrame: byBroker ? null : stackTopFrame(text(headers[failureHeader.errorStack])),
    firstFailureAt: (byBroker ? death?.time : text(headers[failureHeader.firstFailureAt])) ?? lastFailureAt,
    lastFailureAt,
    death,
    body: parsedBody(message),
    bodyBytes: message.content.length,
    properties: plain(properties) as Record<string, unknown>,
    headers: plain(headers) as Record<string, unknown>,
    arrival: { exchange: message.exchange, routingKey: message.routingKey },
  };
}

/** The `dlq list` summary of an entry: the fields of `ParkedSummary`, and only those. */
export function summaryOf(entry: ParkedEntry): ParkedSummary {
  const { id, type, deadLetterQueue, queue, parkedBy, error, attempts, failedAt, replayCount } = entry;
  return { id, type, deadLetterQueue, queue, parkedBy, error, attempts, failedAt, replayCount };
}
