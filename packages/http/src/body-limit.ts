import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { PayloadTooLargeError } from './errors.ts';

/**
 * Rejects request bodies over `maxBytes` (1 MiB by default) with a 413 problem, checking
 * Content-Length up front and counting bytes for streamed bodies.
 */
export function bodyLimit({ maxBytes = 1_048_576 }: { maxBytes?: number } = {}): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(`The request body is larger than ${maxBytes} bytes.`);
    },
  });
}
