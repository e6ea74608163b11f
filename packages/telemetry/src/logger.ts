import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { turnBufferedOutput } from './turn-buffered-output.ts';

export type { Logger } from 'pino';

export interface LoggerSettings {
  service: string;
  version?: string;
  level?: string;
  /** Human-readable lines for local development instead of JSON. */
  pretty?: boolean;
  /** Where lines go; stdout by default (`turnBufferedOutput`). Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/** Paths whose values never reach a log line. */
export const redactedPaths = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.secret',
  '*.token',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.databaseUrl',
  '*.amqpUrl',
];

/** `trace_id` and `span_id` of the active span, if there is one. */
export function traceFields(): Record<string, string> {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}

/**
 * A pino logger writing one JSON object per line with `service` and `version` on every line,
 * ISO timestamps and secrets redacted. Child loggers carry request or delivery fields.
 */
export function createLogger({ service, version = '0.0.0', level = 'info', pretty = false, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level,
    base: { service, version },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    // Every line written inside a request or a delivery carries its trace, for logs ↔ traces.
    mixin: traceFields,
  };
  if (pretty && !destination) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } });
  }
  return pino(options, destination ?? turnBufferedOutput());
}
