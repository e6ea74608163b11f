/**
 * A failure that no retry can fix (invalid payload, unknown version, a business rule the event
 * breaks). The message goes straight to the dead-letter queue with this error's message.
 */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';
  readonly code: string;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code ?? 'permanent';
  }
}

/** The broker returned a mandatory message: no queue is bound for its routing key. */
export class UnroutableError extends Error {
  override readonly name = 'UnroutableError';
}

/** The broker refused (nacked) a message on the confirm channel. */
export class PublishNackedError extends Error {
  override readonly name = 'PublishNackedError';
}

/**
 * A message delivered `DELIVERY_LIMIT` times without being settled (its consumer crashed or lost
 * its channel on it each time): parked without running the handler again.
 */
export class DeliveryLimitError extends PermanentError {
  override readonly name = 'DeliveryLimitError';

  constructor(deliveries: number, limit: number) {
    super(`delivered ${deliveries} times without being settled (DELIVERY_LIMIT ${limit})`, { code: 'delivery_limit' });
  }
}
