export { createLogger, redactedPaths, traceFields } from './logger.ts';
export type { Logger, LoggerSettings } from './logger.ts';
export { instrumentDrizzlePostgres, operationOf } from './tracing/drizzle-instrumentation.ts';
export { processAttributes, publishAttributes } from './tracing/messaging-attributes.ts';
export { shutdownTelemetry } from './tracing/shutdown.ts';
export { createMetricsRegistry, registerOutboxGauges } from './metrics/registry.ts';
export type { MetricsRegistry, OutboxGaugeSource } from './metrics/registry.ts';
export { metricObservers } from './metrics/observers.ts';
