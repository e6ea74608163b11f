import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { createTokenVerifier, type EdgeEnv } from '@warren/http';
import { openBroker } from '@warren/operations';
import { runMain, startService } from '@warren/service';
import { createActivityLog } from './activity.ts';
import { createArchiveSources } from './archive.ts';
import { createApp } from './app.ts';
import { createOidcLogin } from './auth/oidc.ts';
import { createSessionStore } from './auth/sessions.ts';
import { loadConfig } from './config.ts';
import { createOperator } from './operator.ts';
import { createIndexStore } from './parked/index-store.ts';
import { startIndexer, type Indexer } from './parked/indexer.ts';
import { createMessageRates } from './message-rates.ts';
import { createQueueState } from './queue-state.ts';

await runMain(async () => {
  const config = loadConfig();
  const authOn = Boolean(config.AUTH_ISSUER) && !config.AUTH_DISABLED;
  // The console's own connection for browsing and moving parked messages, through @warren/operations.
  const broker = await openBroker(config.AMQP_URL, { name: 'console' });
  const archives = createArchiveSources(config.CONSOLE_ARCHIVE_DATABASE_URLS);
  let indexer: Indexer | undefined;
  let closeOperator: (() => Promise<void>) | undefined;
  const service = await startService({
    name: 'console',
    config,
    produces: false,
    migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
    createApp: (deps) => {
      const store = createIndexStore(deps.db);
      const activity = createActivityLog(deps.db);
      indexer = startIndexer({ broker, store, activity, logger: deps.logger, intervalMs: config.CONSOLE_INDEX_INTERVAL_MS, retryWindowMs: config.CONSOLE_RETRY_WINDOW_MS });
      const operator = createOperator({ broker, archives, store, activity, indexer, logger: deps.logger, retryPerSecond: config.CONSOLE_RETRY_PER_SECOND });
      closeOperator = () => operator.close();
      const verifier = authOn
        ? createTokenVerifier({
            issuer: config.AUTH_ISSUER,
            audience: config.AUTH_AUDIENCE,
            algorithms: config.AUTH_ALGORITHMS,
            clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
            ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
          })
        : undefined;
      // The console's context only adds variables to the edge's; startService needs no more than the edge's.
      const app = createApp({
        ...deps,
        config,
        version: config.SERVICE_VERSION,
        store,
        activity,
        sessions: createSessionStore(deps.db),
        indexer,
        operator,
        queueState: createQueueState(broker, archives, { rates: createMessageRates(config.CONSOLE_METRICS_URLS) }),
        archives,
        verifier,
        oidc: authOn ? createOidcLogin(deps.db, { issuer: config.AUTH_ISSUER, clientId: config.CONSOLE_OIDC_CLIENT_ID, clientSecret: config.CONSOLE_OIDC_CLIENT_SECRET }) : undefined,
      });
      return app as unknown as Hono<EdgeEnv>;
    },
  });
  return {
    ...service,
    async close() {
      await closeOperator?.();
      await indexer?.close();
      await service.close();
      await broker.close();
      await archives.close();
    },
  };
});
