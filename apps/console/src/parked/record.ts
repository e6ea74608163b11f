/** What the console's index keeps of one parked message (a row of `parked_messages`). */
export interface ParkedRecord {
  deadLetterQueue: string;
  messageId: string;
  /** The queue it failed in, where a retry sends it. */
  queue: string;
  /** The consuming service: the first part of the queue name. */
  service: string;
  eventType: string | null;
  routingKey: string | null;
  subject: string | null;
  correlationId: string | null;
  /** `warren` when a consumer parked it, `broker` when RabbitMQ dead-lettered it (`x-death`). */
  parkedBy: 'warren' | 'broker';
  /** Equal for failures of one cause: error type, code, message template and top stack frame. */
  fingerprint: string;
  errorSummary: string;
  attempts: number | null;
  replayCount: number;
  failedAt: Date | null;
  /** AMQP properties and headers, as JSON. */
  properties: Record<string, unknown>;
  body: string;
}

/** The service a queue belongs to: `inventory` of `inventory.item-created`. */
export function serviceOfQueue(queue: string): string {
  return queue.split('.')[0] ?? queue;
}
