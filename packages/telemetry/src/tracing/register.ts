// Loaded with `node --import @warren/telemetry/register src/main.ts`, before anything else, so
// that http, amqplib and drizzle are patched before the service imports them. ESM imports need
// the loader hook registered first. Disabled with OTEL_SDK_DISABLED=true.
import { register } from 'node:module';
import { settingsFromEnvironment, startTelemetry } from './sdk.ts';
import { rememberShutdown } from './shutdown.ts';

if (process.env['OTEL_SDK_DISABLED'] !== 'true') {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const telemetry = startTelemetry(settingsFromEnvironment());
  rememberShutdown(() => telemetry.shutdown());
}
