import { fingerprint, listParked, type Broker, type ParkedEntry } from '@warren/operations';
import type { ParkedRecord } from './record.ts';

/** What the index keeps of a parked message the library read. */
export function toRecord(entry: ParkedEntry): ParkedRecord {
  const { properties, headers } = entry;
  return {
    deadLetterQueue: entry.deadLetterQueue,
    messageId: entry.id ?? '(no id)',
    queue: entry.queue,
    service: entry.service,
    eventType: entry.eventType ?? entry.type?.replace(/\.v\d+$/, '') ?? null,
    routingKey: entry.routingKey,
    subject: entry.subject,
    correlationId: entry.correlationId,
    parkedBy: entry.parkedBy,
    fingerprint: fingerprint(entry).hash,
    errorSummary: entry.error,
    attempts: entry.attempts,
    replayCount: entry.replayCount,
    failedAt: entry.failedAt ? new Date(entry.failedAt) : null,
    properties: { ...properties, headers },
    body: typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body),
  };
}

/** Every message parked in `deadLetterQueue`, read through the library without removing any. */
export async function readParked(broker: Broker, deadLetterQueue: string): Promise<ParkedRecord[]> {
  return (await listParked(broker, [deadLetterQueue])).map(toRecord);
}
