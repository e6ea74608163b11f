/** The AMQP properties of a message, as read and as published again. */
export interface AmqpProperties {
  messageId?: string;
  type?: string;
  correlationId?: string;
  contentType?: string;
  contentEncoding?: string;
  deliveryMode?: number;
  priority?: number;
  replyTo?: string;
  expiration?: string;
  timestamp?: number;
  userId?: string;
  appId?: string;
  headers: Record<string, unknown>;
}

/** A message taken off a queue and not settled yet: it goes back unless removed. */
export interface HeldMessage {
  content: Buffer;
  properties: AmqpProperties;
  /** The exchange it was published to: `''` when sent straight to the queue. */
  exchange: string;
  routingKey: string;
}
