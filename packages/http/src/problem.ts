import { STATUS_CODES } from 'node:http';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '@warren/telemetry';
import type { EdgeEnv } from './context.ts';
import { AppError, NotFoundError, ServiceUnavailableError } from './errors.ts';
import { isUnavailableError } from './unavailable.ts';

export const problemContentType = 'application/problem+json';

/** The RFC 9457 members Warren sends, plus `request_id` and any extensions. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  request_id?: string;
  [extension: string]: unknown;
}

/** The problem `type` for an error code: a stable URN clients may switch on. */
export function problemType(code: string): string {
  return `urn:warren:problem:${code}`;
}

/**
 * Renders an AppError as an `application/problem+json` Response: `type`, `title`, `status`,
 * `detail`, `instance` (the request path) and `request_id`, then the error's extensions (which
 * cannot overwrite the standard members). Adds `Retry-After` when the error carries one.
 */
export function problemResponse(c: Context, error: AppError, headers: Record<string, string> = {}): Response {
  const requestId = c.get('requestId') as string | undefined;
  const document: ProblemDocument = {
    ...error.extensions,
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    instance: c.req.path,
    ...(requestId === undefined ? {} : { request_id: requestId }),
  };
  const responseHeaders = new Headers({ ...error.headers, ...headers });
  responseHeaders.set('content-type', problemContentType);
  if (error.retryAfterSeconds !== undefined) responseHeaders.set('retry-after', String(error.retryAfterSeconds));
  return new Response(JSON.stringify(document), { status: error.status, headers: responseHeaders });
}

function fromHttpException(exception: HTTPException): { error: AppError; headers: Record<string, string> } {
  const status = exception.status;
  const title = STATUS_CODES[status] ?? 'Error';
  const code = title.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const detail = exception.message === '' ? undefined : exception.message;
  // Keep headers such as WWW-Authenticate that a middleware put on its own response.
  const headers: Record<string, string> = {};
  exception.res?.headers.forEach((value, name) => {
    if (name !== 'content-type' && name !== 'content-length') headers[name] = value;
  });
  return { error: new AppError(code, status, title, { detail, cause: exception }), headers };
}

export interface ErrorHandlerOptions {
  /** Used when the request logger has not put a per-request logger on the context. */
  logger: Logger;
  /** `Retry-After` for 503 answers caused by an unreachable dependency. */
  retryAfterSeconds?: number;
}

/**
 * The single Hono `onError`: AppError → its problem; an unreachable database or network
 * dependency → 503 `service_unavailable` with `Retry-After`; HTTPException → a problem with its
 * status; anything else → 500 `internal_error` whose body never contains the message, stack or
 * SQL (those go to the log, with the error).
 */
export function errorHandler({ logger, retryAfterSeconds = 5 }: ErrorHandlerOptions): ErrorHandler<EdgeEnv> {
  return function renderError(error, c) {
    const log = (c.get('logger') as Logger | undefined) ?? logger;
    if (error instanceof AppError) {
      if (error.status >= 500) log.error({ err: error }, error.message);
      return problemResponse(c, error);
    }
    if (isUnavailableError(error)) {
      log.warn({ err: error }, 'dependency unavailable');
      return problemResponse(c, new ServiceUnavailableError('A dependency is unavailable; retry later.', { cause: error, retryAfterSeconds }));
    }
    if (error instanceof HTTPException) {
      const { error: appError, headers } = fromHttpException(error);
      if (appError.status >= 500) log.error({ err: error }, 'http exception');
      return problemResponse(c, appError, headers);
    }
    log.error({ err: error }, 'unhandled error');
    return problemResponse(c, new AppError('internal_error', 500, 'Internal server error', { detail: 'An unexpected error occurred.', cause: error }));
  };
}

/** Hono `notFound`: a 404 problem naming the unknown method and path. */
export const notFoundHandler: NotFoundHandler<EdgeEnv> = (c) =>
  problemResponse(c, new NotFoundError(`No route for ${c.req.method} ${c.req.path}.`));
