import { readFileSync } from 'node:fs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { instrumentDrizzlePostgres } from './drizzle-instrumentation.ts';
import { publishAttributes } from './messaging-attributes.ts';

export interface TelemetrySettings {
  serviceName: string;
  serviceVersion: string;
  environment: string;
}

/** Service name and version from the standard variables, else the working directory's package. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): TelemetrySettings {
  let name = 'warren';
  let version = '0.0.0';
  try {
    const manifest = JSON.parse(readFileSync(`${cwd}/package.json`, 'utf8')) as { name?: string; version?: string };
    name = manifest.name?.replace(/^@warren\//, '') ?? name;
    version = manifest.version ?? version;
  } catch {
    // not started from a package folder: keep the defaults
  }
  return {
    serviceName: env['OTEL_SERVICE_NAME'] || name,
    serviceVersion: env['SERVICE_VERSION'] || version,
    environment: env['NODE_ENV'] || 'development',
  };
}

/**
 * Starts the OpenTelemetry SDK: traces exported over OTLP as the standard `OTEL_*` variables say
 * (endpoint, protocol including `http/json`, sampler, resource attributes), HTTP, amqplib and
 * undici instrumented, drizzle/postgres.js traced by Warren's own instrumentation. Metrics stay
 * with prom-client on /metrics and logs with pino on stdout, so their OTLP exporters are off
 * unless set explicitly. Returns a shutdown that flushes pending spans.
 */
export function startTelemetry(settings: TelemetrySettings): { shutdown: () => Promise<void> } {
  process.env['OTEL_METRICS_EXPORTER'] ??= 'none';
  process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    resource: resourceFromAttributes({
      'service.name': settings.serviceName,
      'service.version': settings.serviceVersion,
      'deployment.environment.name': settings.environment,
    }),
    // Only what the services use: @opentelemetry/auto-instrumentations-node imports all of its
    // forty instrumentations and the cloud resource detectors whichever are enabled (about 40 MiB
    // per process). Log correlation is done by Warren's pino mixin, drizzle by its own below.
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => /^\/(health|ready|metrics)\b/.test(request.url ?? ''),
        // A write's X-Request-Id is its correlation id: findable in Tempo with TraceQL
        // `{ span."http.request.header.x-request-id" = "…" }`.
        headersToSpanAttributes: { server: { requestHeaders: ['x-request-id', 'idempotency-key'], responseHeaders: ['x-request-id'] } },
      }),
      new UndiciInstrumentation(),
      new AmqplibInstrumentation({
        publishHook: (span, info) => {
          span.setAttributes(publishAttributes(info.exchange, info.routingKey, { messageId: info.options?.messageId, correlationId: info.options?.correlationId }));
        },
      }),
    ],
  });
  sdk.start();
  instrumentDrizzlePostgres();
  return { shutdown: () => sdk.shutdown() };
}
