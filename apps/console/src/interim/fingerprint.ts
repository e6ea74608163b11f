import { createHash } from 'node:crypto';
import { failureHeader } from '@warren/messaging';

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/**
 * The error message with its variable parts taken out: ids, numbers and quoted values become
 * placeholders, so "item 0193… not found" and "item 0194… not found" are one template.
 */
export function messageTemplate(message: string): string {
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"|'[^']*'/g, '<value>')
    .replace(/\b\d+(\.\d+)?\b/g, '<n>')
    .slice(0, 500);
}

/** The first `at …` line of a stack, with line and column numbers dropped (they move with every build). */
export function topFrame(stack: string | undefined): string {
  const frame = stack?.split('\n').find((line) => line.trim().startsWith('at '));
  return frame ? frame.trim().replace(/:\d+:\d+\)?$/, '') : '';
}

/**
 * The fingerprint of a parked message's failure: error type, code, message template and top
 * stack frame from the `x-warren-*` headers, or the broker's dead-letter reason for a message
 * RabbitMQ dead-lettered. Messages failing for one cause share it.
 */
export function fingerprint(headers: Record<string, unknown>, parkedBy: 'warren' | 'broker', brokerReason?: string): string {
  const parts =
    parkedBy === 'broker'
      ? ['broker', brokerReason ?? text(headers['x-first-death-reason']) ?? 'unknown']
      : [
          text(headers[failureHeader.errorType]) ?? 'Error',
          text(headers[failureHeader.errorCode]) ?? '',
          messageTemplate(text(headers[failureHeader.errorMessage]) ?? ''),
          topFrame(text(headers[failureHeader.errorStack])),
        ];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
