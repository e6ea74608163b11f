/** Extra members of a problem document beyond the RFC 9457 standard ones. */
export type ProblemExtensions = Record<string, unknown>;

export interface AppErrorOptions {
  detail?: string;
  cause?: unknown;
  extensions?: ProblemExtensions;
  /** Sent as `Retry-After` so clients know when trying again can succeed. */
  retryAfterSeconds?: number;
  /** Other response headers the answer needs (`WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
}

/** One field that failed validation; `path` joins the field's path with '.' ('' is the whole input). */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The root of the error taxonomy: a stable machine-readable `code` (which becomes the problem
 * `type` URN), the HTTP `status` and a human `title`. The error handler renders it as
 * problem+json, so throwing one is all a handler needs to do to answer with an error.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: ProblemExtensions | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, title: string, options: AppErrorOptions = {}) {
    super(options.detail ?? title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.title = title;
    this.detail = options.detail;
    this.extensions = options.extensions;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
  }
}

type SubclassOptions = Omit<AppErrorOptions, 'detail'>;

/** 400 `validation_failed`: the input is malformed; `errors` says which fields and why. */
export class ValidationError extends AppError {
  readonly errors: FieldError[];

  constructor(detail: string, errors: FieldError[] = [], options: SubclassOptions = {}) {
    super('validation_failed', 400, 'Validation failed', {
      ...options,
      detail,
      extensions: { ...options.extensions, errors },
    });
    this.errors = errors;
  }
}

/** 404 `not_found`: the addressed resource does not exist. */
export class NotFoundError extends AppError {
  constructor(detail?: string, options: SubclassOptions & { code?: string } = {}) {
    super(options.code ?? 'not_found', 404, 'Not found', { ...options, detail });
  }
}

/** 409 `conflict`: the request collides with the current state (or with a concurrent request). */
export class ConflictError extends AppError {
  constructor(detail?: string, options: SubclassOptions & { code?: string } = {}) {
    super(options.code ?? 'conflict', 409, 'Conflict', { ...options, detail });
  }
}

/** 422 `unprocessable`: well-formed, but cannot be processed as asked. */
export class UnprocessableError extends AppError {
  constructor(detail?: string, options: SubclassOptions & { code?: string } = {}) {
    super(options.code ?? 'unprocessable', 422, 'Unprocessable content', { ...options, detail });
  }
}

/** 415 `unsupported_media_type`: the body's content type is not one the route reads. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(detail?: string, options: SubclassOptions = {}) {
    super('unsupported_media_type', 415, 'Unsupported media type', { ...options, detail });
  }
}

/** 413 `payload_too_large`: the body is over the edge's size limit. */
export class PayloadTooLargeError extends AppError {
  constructor(detail?: string, options: SubclassOptions = {}) {
    super('payload_too_large', 413, 'Payload too large', { ...options, detail });
  }
}

/** 503 `service_unavailable`: a dependency is down; retrying later may succeed. */
export class ServiceUnavailableError extends AppError {
  constructor(detail?: string, options: SubclassOptions = {}) {
    super('service_unavailable', 503, 'Service unavailable', { retryAfterSeconds: 5, ...options, detail });
  }
}
