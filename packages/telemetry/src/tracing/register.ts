// Loaded with `node --import @warren/telemetry/register src/main.ts`, before anything else, so
// that http, amqplib and drizzle are patched before the service imports them. Disabled with
// OTEL_SDK_DISABLED=true, in which case nothing of the SDK is loaded.
//
// The ESM hook runs in the application thread (`module.registerHooks`) and wraps only the modules
// an instrumentation patches: the off-thread `module.register` hook of
// @opentelemetry/instrumentation/hook.mjs parsed every module the service loads on a second thread;
// with auto-instrumentations-node, tracing cost a service about 210 MiB of RSS (about 45 MiB now).
import { register } from 'import-in-the-middle/register-hooks.mjs';
import { rememberShutdown } from './shutdown.ts';

if (process.env['OTEL_SDK_DISABLED'] !== 'true') {
  register({ include: ['node:http', 'node:https', 'http', 'https', 'amqplib', 'undici'] });
  const { settingsFromEnvironment, startTelemetry } = await import('./sdk.ts');
  const telemetry = startTelemetry(settingsFromEnvironment());
  rememberShutdown(() => telemetry.shutdown());
}
