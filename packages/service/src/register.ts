// Loaded first, with `node --import @warren/service/register --import @warren/telemetry/register`,
// before anything imports postgres.js (the telemetry preload does), so that the driver's connection
// module is loaded with the fix in postgres-fix.ts. Being first, it also completes the environment
// from the `.env` files and the service's prefixed variables before anything reads a setting (the
// telemetry preload reads OTEL_* next).
import { registerHooks } from 'node:module';
import { loadServiceEnvironment } from './environment.ts';
import { patchPostgresConnection, postgresConnectionModule } from './postgres-fix.ts';

loadServiceEnvironment();

registerHooks({
  load(url, context, nextLoad) {
    const loaded = nextLoad(url, context);
    if (!postgresConnectionModule.test(url) || loaded.source === undefined) return loaded;
    const source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
    const patched = patchPostgresConnection(source);
    if (patched === undefined) {
      process.emitWarning(`${url} is not the postgres.js 3.4 source @warren/service/register expects; its connection fix was not applied`);
      return loaded;
    }
    return { ...loaded, source: patched };
  },
});
