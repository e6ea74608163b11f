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

/** The headers of a failed delivery on its way to a delay queue or the dead-letter queue. */
export function failureHeaders(
  raw: RawDelivery,
  original: { exchange: string; routingKey: string },
  error: unknown,
  now: Date,
): Record<string, unknown> {
  const failure = error instanceof Error ? error : new Error(String(error));
  const code = (failure as { code?: unknown }).code;
  const stack = (failure.stack ?? '').split('\n').slice(0, 6).join('\n');
  return {
    ...raw.headers,
    [failureHeader.attempt]: raw.attempt,
    [failureHeader.errorType]: failure.name,
    ...(typeof code === 'string' ? { [failureHeader.errorCode]: code } : {}),
    [failureHeader.errorMessage]: failure.message.slice(0, 1_000),
    [failureHeader.errorStack]: stack.slice(0, 2_000),
    [failureHeader.firstFailureAt]: raw.headers[failureHeader.firstFailureAt] ?? now.toISOString(),
    [failureHeader.lastFailureAt]: now.toISOString(),
    [failureHeader.originalExchange]: raw.headers[failureHeader.originalExchange] ?? original.exchange,
    [failureHeader.originalRoutingKey]: raw.headers[failureHeader.originalRoutingKey] ?? original.routingKey,
    [failureHeader.queue]: raw.queue,
  };
}
