import { failureHeader } from '@warren/messaging';
import type { AmqpProperties, HeldMessage } from './held-message.ts';

/** Headers warren adds when it replays a parked message. */
export const replayHeader = { count: 'x-warren-replay-count', replayedAt: 'x-warren-replayed-at' } as const;

/** What `dlq list` shows of one parked message (also its `--json` shape). */
export interface ParkedSummary {
  id: string | null;
  type: string | null;
  /** The dead-letter queue it sits in. */
  deadLetterQueue: string;
  /** The queue it failed in, where a replay sends it. */
  queue: string;
  /** `warren` when a consumer parked it, `broker` when RabbitMQ dead-lettered it. */
  parkedBy: 'warren' | 'broker';
  error: string;
  attempts: number | null;
  failedAt: string | null;
  replayCount: number;
}

/** One `x-death` entry as amqplib decodes it (every field may be missing on a foreign message). */
export interface DeathEntry {
  queue?: unknown;
  reason?: unknown;
  time?: unknown;
  count?: unknown;
  'routing-keys'?: unknown;
}

/** A non-empty string header (or a buffer's text), else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** An integer header (a number or its text), else undefined. */
export function count(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : Number(text(value));
  return Number.isInteger(parsed) ? parsed : undefined;
}

/** `{'!': 'timestamp', value: seconds}` as amqplib decodes AMQP timestamps, or a plain number. */
export function timestampIso(value: unknown): string | undefined {
  const seconds = typeof value === 'object' && value !== null && 'value' in value ? value.value : value;
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : undefined;
}

/** The parsed JSON body, or undefined for a body that is not a JSON object. */
export function jsonBody(message: HeldMessage): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(message.content.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The queue a parked message failed in: `x-warren-queue`, else `x-first-death-queue`, else the DLQ's name without `.dlq`. */
export function originQueue(headers: Record<string, unknown>, deadLetterQueue: string): string {
  return text(headers[failureHeader.queue]) ?? text(headers['x-first-death-queue']) ?? deadLetterQueue.replace(/\.dlq$/, '');
}

function warrenError(headers: Record<string, unknown>): string | undefined {
  const message = text(headers[failureHeader.errorMessage]);
  const type = text(headers[failureHeader.errorType]);
  if (message === undefined && type === undefined) return undefined;
  const code = text(headers[failureHeader.errorCode]);
  return `${type ?? 'Error'}${code ? ` [${code}]` : ''}: ${message ?? ''}`;
}

/**
 * Reads the failure out of a parked message. A consumer publishes straight to the DLQ (default
 * exchange) with `x-warren-*` headers; RabbitMQ dead-letters through the dead-letter exchange
 * with `x-death` and `x-first-death-*`. The arrival exchange decides which story is current,
 * because a replayed message carries the headers of every earlier failure.
 */
export function summarize(message: HeldMessage, deadLetterQueue: string): ParkedSummary {
  const { headers } = message.properties;
  const body = jsonBody(message);
  const queue = originQueue(headers, deadLetterQueue);
  const deaths = Array.isArray(headers['x-death']) ? (headers['x-death'] as DeathEntry[]) : [];
  const death = deaths.find((entry) => entry.queue === queue) ?? deaths[0];
  const deathReason = text(death?.reason) ?? text(headers['x-first-death-reason']);
  const handlerError = warrenError(headers);
  const byBroker = message.exchange !== '' || (handlerError === undefined && deathReason !== undefined);
  const error = byBroker
    ? `${deathReason ?? 'unknown reason'} (dead-lettered by the broker${handlerError ? `; last handler error ${handlerError}` : ''})`
    : (handlerError ?? 'no failure headers');
  return {
    id: message.properties.messageId ?? text(body?.['id']) ?? null,
    type: message.properties.type ?? text(headers[failureHeader.originalRoutingKey]) ?? text(body?.['type']) ?? null,
    deadLetterQueue,
    queue,
    parkedBy: byBroker ? 'broker' : 'warren',
    error,
    attempts: count(headers[failureHeader.attempt]) ?? null,
    failedAt: (byBroker ? timestampIso(death?.time) : text(headers[failureHeader.lastFailureAt])) ?? null,
    replayCount: count(headers[replayHeader.count]) ?? 0,
  };
}

/** Which parked messages a command acts on; every given field must match. */
export interface MessageFilter {
  id?: string | undefined;
  /** An event type (`item.created`) or routing key (`item.created.v1`). */
  type?: string | undefined;
  /** Case-insensitive text in the error. */
  error?: string | undefined;
}

/** True when the message passes every part of `filter`. */
export function matches(message: HeldMessage, summary: ParkedSummary, filter: MessageFilter): boolean {
  const body = jsonBody(message);
  if (filter.id !== undefined && summary.id !== filter.id && text(body?.['id']) !== filter.id) return false;
  if (filter.type !== undefined) {
    const bodyType = text(body?.['type']);
    const types = [summary.type, text(message.properties.headers[failureHeader.originalRoutingKey]), bodyType, bodyType && `${bodyType}.v${String(body?.['version'])}`];
    if (!types.includes(filter.type)) return false;
  }
  if (filter.error !== undefined && !summary.error.toLowerCase().includes(filter.error.toLowerCase())) return false;
  return true;
}

/**
 * The properties a replayed copy is published with: every original property and header (the
 * message id above all, so inboxes still de-duplicate), `x-warren-replay-count` incremented,
 * `x-warren-attempt` reset to 1 for a fresh retry budget. `x-delivery-count` is dropped: it
 * counted deliveries from the dead-letter queue, and the broker sets its own.
 */
export function replayProperties(properties: AmqpProperties, now: Date): AmqpProperties {
  const { 'x-delivery-count': _deliveries, ...headers } = properties.headers;
  return {
    ...properties,
    headers: {
      ...headers,
      [failureHeader.attempt]: 1,
      [replayHeader.count]: (count(headers[replayHeader.count]) ?? 0) + 1,
      [replayHeader.replayedAt]: now.toISOString(),
    },
  };
}
