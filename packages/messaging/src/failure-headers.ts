import type { RawDelivery } from './decode.ts';

/** Headers Warren adds to a message it retries or parks; the operator tool reads them. */
export const failureHeader = {
  attempt: 'x-warren-attempt',
  errorType: 'x-warren-error-type',
  errorCode: 'x-warren-error-code',
  errorMessage: 'x-warren-error-message',
  errorStack: 'x-warren-error-stack',
  firstFailureAt: 'x-warren-first-failure-at',
  lastFailureAt: 'x-warren-last-failure-at',
  originalExchange: 'x-warren-original-exchange',
  originalRoutingKey: 'x-warren-original-routing-key',
  queue: 'x-warren-queue',
} as const;

/**
 * The message of `error` and of each error in its `cause` chain: a driver's reason ("canceling
 * statement due to statement timeout") sits under wrappers such as drizzle's "Failed query: …".
 */
function messageWithCauses(error: Error): string {
  let message = error.message;
  for (let cause = error.cause, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth += 1) {
    message += ` (cause: ${cause.message})`;
  }
  return message;
}

/**
 * Headers the broker sets per delivery from a quorum queue. A copy republished with them would
 * carry a stale count into its next queue, where a broker that adds the header only for counts
 * above zero would leave it standing.
 */
const perDeliveryHeaders = ['x-delivery-count', 'x-acquired-count'];

/**
 * The headers of a failed delivery on its way to a delay queue or the dead-letter queue: its own
 * headers without the per-delivery counts, plus Warren's failure headers.
 */
export function failureHeaders(
  raw: RawDelivery,
  original: { exchange: string; routingKey: string },
  error: unknown,
  now: Date,
): Record<string, unknown> {
  const failure = error instanceof Error ? error : new Error(String(error));
  const code = (failure as { code?: unknown }).code;
  const stack = (failure.stack ?? '').split('\n').slice(0, 6).join('\n');
  const carried = Object.fromEntries(Object.entries(raw.headers).filter(([name]) => !perDeliveryHeaders.includes(name)));
  return {
    ...carried,
    [failureHeader.attempt]: raw.attempt,
    [failureHeader.errorType]: failure.name,
    ...(typeof code === 'string' ? { [failureHeader.errorCode]: code } : {}),
    [failureHeader.errorMessage]: messageWithCauses(failure).slice(0, 1_000),
    [failureHeader.errorStack]: stack.slice(0, 2_000),
    [failureHeader.firstFailureAt]: raw.headers[failureHeader.firstFailureAt] ?? now.toISOString(),
    [failureHeader.lastFailureAt]: now.toISOString(),
    [failureHeader.originalExchange]: raw.headers[failureHeader.originalExchange] ?? original.exchange,
    [failureHeader.originalRoutingKey]: raw.headers[failureHeader.originalRoutingKey] ?? original.routingKey,
    [failureHeader.queue]: raw.queue,
  };
}
