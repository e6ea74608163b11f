import type { Logger } from '@warren/telemetry';
import { failureHeader, failureHeaders } from '../failure-headers.ts';
import type { DeliveryControl, DeliveryMiddleware } from '../pipeline/delivery.ts';
import type { RetryPolicy } from '../retry-policy.ts';

/**
 * Turns a failure of the rest of the pipeline into a copy of the message, confirmed by the broker,
 * in a delay queue (transient failure, retries left: its delay travels as the copy's `expiration`)
 * or in `<queue>.dlq` (permanent, or no retries left), with Warren's failure headers. Only then is
 * the delivery acked, so nothing is lost. When even the copy cannot be sent the delivery goes back
 * to its queue (`requeued`), where the quorum queue's own delivery limit is the last line of defence.
 */
export function retryOrPark(policy: RetryPolicy, control: Pick<DeliveryControl, 'send'>, logger: Logger): DeliveryMiddleware {
  return (next) => async (delivery) => {
    try {
      return await next(delivery);
    } catch (error) {
      const { message, raw } = delivery;
      const decision = policy.decide(delivery.queue, raw.attempt, error);
      const original = { exchange: message.fields.exchange, routingKey: message.fields.routingKey };
      const headers = failureHeaders(raw, original, error, new Date());
      const attempt = decision.action === 'retry' ? decision.nextAttempt : decision.attempt;
      try {
        await control.send(decision.queue, message.content, {
          ...message.properties,
          headers: { ...headers, [failureHeader.attempt]: attempt },
          deliveryMode: 2,
          // The delay travels with the message: the delay queue has no TTL of its own (see declareTopology).
          expiration: decision.action === 'retry' ? String(decision.delayMs) : undefined,
        });
      } catch (sendError) {
        logger.error({ err: sendError, cause: error, message_id: message.properties.messageId }, 'could not park a failed message; returning it to the queue');
        return { result: 'requeued', error };
      }
      const result = decision.action === 'retry' ? 'retried' : 'dead_lettered';
      logger.warn(
        { err: error, message_id: message.properties.messageId, correlation_id: raw.correlationId, attempt: raw.attempt, to: decision.queue },
        `message ${result}`,
      );
      return { result, error, toQueue: decision.queue, attempt: raw.attempt };
    }
  };
}
