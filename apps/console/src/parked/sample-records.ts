import type { ParkedRecord } from './record.ts';

/**
 * The `index`th of a synthetic set of parked records in `deadLetterQueue`: four failure kinds in
 * turn (one of them a broker dead-letter, one of them a `stock.adjusted`), a hundred subjects, an
 * hour of failure times. Shared by the index's tests and its grouping benchmark.
 */
export function sampleRecord(index: number, deadLetterQueue: string): ParkedRecord {
  const kind = index % 4;
  return {
    deadLetterQueue,
    messageId: `m-${deadLetterQueue}-${index}`,
    queue: deadLetterQueue.replace(/\.dlq$/, ''),
    service: deadLetterQueue.split('.')[0] ?? '',
    eventType: kind === 3 ? 'stock.adjusted' : 'item.created',
    routingKey: kind === 3 ? 'stock.adjusted.v1' : 'item.created.v1',
    subject: `subject-${index % 100}`,
    correlationId: `corr-${index}`,
    parkedBy: kind === 2 ? 'broker' : 'warren',
    fingerprint: `fp-${kind}`,
    errorSummary: `Error ${kind}: item ${index} failed`,
    attempts: 3,
    replayCount: 0,
    failedAt: new Date(Date.UTC(2026, 10, 28, 0, 0, index % 3_600)),
    properties: { messageId: `m-${index}`, headers: { 'x-warren-error-type': `Error${kind}` } },
    body: JSON.stringify({ id: `m-${index}`, type: 'item.created', data: { name: `lamp ${index}` } }),
  };
}

/** `count` sample records spread over the given dead-letter queues in proportion to their weights. */
export function sampleQueues(queues: Readonly<Record<string, number>>): [string, ParkedRecord[]][] {
  return Object.entries(queues).map(([queue, count]) => [queue, Array.from({ length: count }, (_, index) => sampleRecord(index, queue))]);
}
