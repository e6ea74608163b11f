import type { RawDelivery } from './decode.ts';
import { errorCode, errorMessage } from './error-summary.ts';
import { boundHeaders } from './header-budget.ts';

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

/** Headers of the event contract, kept on a copy before any other header of the producer's. */
export const contractHeaders = ['correlation_id', 'idempotency_key', 'causation_id', 'traceparent', 'tracestate', 'source_service'] as const;

/**
 * Headers the broker sets per delivery from a quorum queue. A copy republished with them would
 * carry a stale count into its next queue, where a broker that adds the header only for counts
 * above zero would leave it standing.
 */
const perDeliveryHeaders = ['x-delivery-count', 'x-acquired-count'];

/**
 * Whether a delivery's `x-warren-*` headers were written by Warren. Only Warren's own paths
 * publish to the default exchange: a delay queue dead-letters there with the work queue's name as
 * routing key, and `warren dlq replay` publishes there. Events arrive through the events exchange,
 * where a producer could forge `x-warren-*` headers to steer a later replay or skip retries.
 */
export function isWarrenRedelivery(exchange: string): boolean {
  return exchange === '';
}

const warrenHeaderPattern = /^x-warren-/i;

/**
 * A delivery's headers as the consumer may trust them: unchanged when they came back through
 * Warren's own path (see `isWarrenRedelivery`), else without any `x-warren-*` header.
 */
export function trustedHeaders(headers: Readonly<Record<string, unknown>>, exchange: string): Record<string, unknown> {
  if (isWarrenRedelivery(exchange)) return { ...headers };
  // Runs on every delivery: one loop, no intermediate arrays or lower-cased copies of the names.
  const trusted: Record<string, unknown> = {};
  for (const name of Object.keys(headers)) {
    if (!warrenHeaderPattern.test(name)) trusted[name] = headers[name];
  }
  return trusted;
}

/** The attempt a delivery's (trusted) headers record: `x-warren-attempt`, 1 when absent or invalid. */
export function attemptOf(headers: Readonly<Record<string, unknown>>): number {
  const value = Number(headers[failureHeader.attempt] ?? 1);
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

/**
 * The headers of a failed delivery on its way to a delay queue or the dead-letter queue: Warren's
 * failure headers, then the contract headers, then the delivery's other headers without the
 * per-delivery counts, within the header budget (see `boundHeaders`: headers that do not fit are
 * left off and named in `x-warren-headers-truncated`, so the copy can always be published).
 * `raw.headers` must already be trusted (see `trustedHeaders`): its `x-warren-*` history is kept.
 */
export function failureHeaders(
  raw: RawDelivery,
  original: { exchange: string; routingKey: string },
  error: unknown,
  now: Date,
): Record<string, unknown> {
  const failure = error instanceof Error ? error : new Error(String(error));
  const code = errorCode(failure);
  const stack = (failure.stack ?? '').split('\n').slice(0, 6).join('\n');
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.slice(0, 1_000) : fallback);
  const own = {
    [failureHeader.attempt]: raw.attempt,
    [failureHeader.errorType]: failure.name.slice(0, 200),
    ...(code === undefined ? {} : { [failureHeader.errorCode]: code.slice(0, 200) }),
    [failureHeader.errorMessage]: errorMessage(failure),
    [failureHeader.errorStack]: stack.slice(0, 2_000),
    [failureHeader.firstFailureAt]: text(raw.headers[failureHeader.firstFailureAt], now.toISOString()),
    [failureHeader.lastFailureAt]: now.toISOString(),
    [failureHeader.originalExchange]: text(raw.headers[failureHeader.originalExchange], original.exchange),
    [failureHeader.originalRoutingKey]: text(raw.headers[failureHeader.originalRoutingKey], original.routingKey),
    [failureHeader.queue]: raw.queue,
  };
  // An earlier failure's code must not stand beside this failure's message.
  const dropped = [...perDeliveryHeaders, failureHeader.errorCode];
  const carried = Object.fromEntries(Object.entries(raw.headers).filter(([name]) => !dropped.includes(name)));
  return boundHeaders(own, carried, contractHeaders);
}
