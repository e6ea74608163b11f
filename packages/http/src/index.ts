export { ForbiddenError, UnauthenticatedError, authenticate, createTokenVerifier } from './auth.ts';
export type { AuthenticateOptions, Principal, TokenVerifierOptions } from './auth.ts';
export { bodyLimit } from './body-limit.ts';
export { charsetOf, utf8Body } from './body-encoding.ts';
export { asyncApiRoute } from './asyncapi.ts';
export { docsRoutes } from './docs.ts';
export { MethodNotAllowedError, allowedMethods } from './method-not-allowed.ts';
export { bearer, commonProblems, problemResponses, problemSchema, requestIdHeader, writeHeaders, writeResponseHeaders } from './openapi.ts';
export { RateLimitedError, clientAddress, rateLimit, tokenBuckets } from './rate-limit.ts';
export type { Take, TokenBuckets } from './rate-limit.ts';
export { defaultCaller } from './context.ts';
export type { EdgeEnv } from './context.ts';
export { decodeCursor, encodeCursor } from './cursor.ts';
export { createEdge } from './edge.ts';
export { routeCoverage } from './openapi-coverage.ts';
export type { EdgeOptions } from './edge.ts';
export {
  AppError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';
export type { AppErrorOptions, FieldError, ProblemExtensions } from './errors.ts';
export { healthRoutes } from './health.ts';
export type { HealthOptions, ReadinessChecks } from './health.ts';
export { idempotency, respondIdempotently } from './idempotency.ts';
export { httpMetrics, metricsRoute } from './metrics.ts';
export { httpMigrations } from './migrations.ts';
export type { HttpObserver, MetricsExposition } from './metrics.ts';
export type { IdempotencyOptions, IdempotentResult } from './idempotency.ts';
export { pruneIdempotencyKeys } from './idempotency-store.ts';
export { errorHandler, notFoundHandler, problemContentType, problemResponse, problemType } from './problem.ts';
export type { ErrorHandlerOptions, ProblemDocument } from './problem.ts';
export { requestId } from './request-id.ts';
export type { RequestIdOptions } from './request-id.ts';
export { requestLogger } from './request-logger.ts';
export { securityHeaders } from './security-headers.ts';
export type { SecurityHeadersOptions } from './security-headers.ts';
export { startServer } from './server.ts';
export type { Fetchable, RunningServer, ServerOptions } from './server.ts';
export { isUnavailableError } from './unavailable.ts';
export { parseJsonBody, parseParams, parseQuery } from './validation.ts';
