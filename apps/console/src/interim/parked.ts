import { failureHeader } from '@warren/messaging';
import { jsonBody, replayHeader, replayProperties, withParkedMessages, type Broker, type HeldMessage, type ParkedMessage } from '@warren/operations';
import { serviceOfQueue, type ParkedRecord } from '../parked/record.ts';
import { fingerprint } from './fingerprint.ts';

/** Which parked messages of one dead-letter queue an action takes: by id, by fingerprint, or all. */
export interface ParkedSelection {
  messageIds?: readonly string[] | undefined;
  fingerprint?: string | undefined;
}

/** Progress of an action, told after each message. */
export interface ActionProgress {
  done: number;
  total: number;
  failed: number;
}

export interface ActionOutcome {
  /** Messages the selection matched (what a dry run would move). */
  matched: { messageId: string; queue: string; replayCount: number }[];
  moved: number;
  failures: string[];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** Headers and properties as plain JSON (Buffers as text, AMQP timestamps as numbers). */
function plainJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, plainJson(entry)]));
  return value;
}

/** What the index keeps of a held message. */
export function toRecord({ message, summary }: ParkedMessage): ParkedRecord {
  const { headers } = message.properties;
  const body = jsonBody(message);
  const deathReason = summary.parkedBy === 'broker' ? summary.error.replace(/ \(dead-lettered.*$/, '') : undefined;
  return {
    deadLetterQueue: summary.deadLetterQueue,
    messageId: summary.id ?? '(no id)',
    queue: summary.queue,
    service: serviceOfQueue(summary.queue),
    eventType: text(body?.['type']) ?? summary.type?.replace(/\.v\d+$/, '') ?? null,
    routingKey: text(headers[failureHeader.originalRoutingKey]) ?? summary.type,
    subject: text(body?.['subject']) ?? null,
    correlationId: message.properties.correlationId ?? text(headers['correlation_id']) ?? null,
    parkedBy: summary.parkedBy,
    fingerprint: fingerprint(headers, summary.parkedBy, deathReason),
    errorSummary: summary.error,
    attempts: summary.attempts,
    replayCount: summary.replayCount,
    failedAt: summary.failedAt ? new Date(summary.failedAt) : null,
    properties: plainJson(message.properties) as Record<string, unknown>,
    body: message.content.toString('utf8'),
  };
}

/** Every message parked in `deadLetterQueue`, read without removing any (they all go back). */
export async function listParked(broker: Broker, deadLetterQueue: string): Promise<ParkedRecord[]> {
  return withParkedMessages(broker, deadLetterQueue, {}, async (matched) => matched.map(toRecord));
}

function selected(parked: ParkedMessage, selection: ParkedSelection): boolean {
  if (selection.messageIds !== undefined && !selection.messageIds.includes(parked.summary.id ?? '')) return false;
  if (selection.fingerprint !== undefined && toRecord(parked).fingerprint !== selection.fingerprint) return false;
  return true;
}

interface MoveOptions {
  dryRun?: boolean;
  /** At most this many messages a second. */
  pace?: { wait(): Promise<void> };
  onProgress?: (progress: ActionProgress) => void;
}

/**
 * Takes the selected messages of `deadLetterQueue` and, unless a dry run, hands each to `send`
 * and removes it from the queue once `send` resolved (the broker confirmed the copy). A message
 * whose send fails stays parked. Nothing unselected moves.
 */
async function moveParked(
  broker: Broker,
  deadLetterQueue: string,
  selection: ParkedSelection,
  { dryRun = false, pace, onProgress }: MoveOptions,
  send: (message: HeldMessage, parked: ParkedMessage) => Promise<{ queue: string; replayCount: number } | undefined>,
): Promise<ActionOutcome> {
  return withParkedMessages(broker, deadLetterQueue, {}, async (all, browser) => {
    const chosen = all.filter((parked) => selected(parked, selection));
    const outcome: ActionOutcome = { matched: [], moved: 0, failures: [] };
    for (const parked of chosen) outcome.matched.push({ messageId: parked.summary.id ?? '(no id)', queue: parked.summary.queue, replayCount: parked.summary.replayCount });
    if (dryRun) return outcome;
    for (const [index, parked] of chosen.entries()) {
      await pace?.wait();
      try {
        const sent = await send(parked.message, parked);
        browser.remove(parked.message);
        outcome.moved += 1;
        const entry = outcome.matched[index];
        if (entry && sent) Object.assign(entry, sent);
      } catch (error) {
        outcome.failures.push(`${parked.summary.id ?? '(no id)'}: ${error instanceof Error ? error.message : String(error)}`);
      }
      onProgress?.({ done: index + 1, total: chosen.length, failed: outcome.failures.length });
    }
    return outcome;
  });
}

/**
 * Sends the selected messages back to the queue they failed in, exactly as `warren dlq replay`:
 * same message id and properties (inboxes de-duplicate), `x-warren-replay-count` + 1, a fresh
 * retry budget. Each copy is confirmed before the parked one is removed.
 */
export function replayParked(broker: Broker, deadLetterQueue: string, selection: ParkedSelection, options: MoveOptions = {}, now = new Date()): Promise<ActionOutcome> {
  return moveParked(broker, deadLetterQueue, selection, options, async (message, parked) => {
    const properties = replayProperties(message.properties, now);
    await broker.publishToQueue(parked.summary.queue, message.content, properties);
    return { queue: parked.summary.queue, replayCount: Number(properties.headers[replayHeader.count]) };
  });
}

/** Sends the selected messages, unchanged, to another queue (which must exist), then removes them here. */
export function redirectParked(broker: Broker, deadLetterQueue: string, selection: ParkedSelection, target: string, options: MoveOptions = {}): Promise<ActionOutcome> {
  return moveParked(broker, deadLetterQueue, selection, options, async (message, parked) => {
    await broker.publishToQueue(target, message.content, message.properties);
    return { queue: target, replayCount: parked.summary.replayCount };
  });
}

/** Removes the selected messages for good. */
export function purgeParked(broker: Broker, deadLetterQueue: string, selection: ParkedSelection, options: MoveOptions = {}): Promise<ActionOutcome> {
  return moveParked(broker, deadLetterQueue, selection, options, async (_message, parked) => ({ queue: '', replayCount: parked.summary.replayCount }));
}

