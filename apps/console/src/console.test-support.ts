import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { consumerQueues } from '@warren/contracts';
import { createTokenVerifier } from '@warren/http';
import { declareTopology, eventProperties, failureHeader, type OutgoingMessage } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { openBroker, type Broker } from '@warren/operations';
import { itemCreated as itemCreatedFixture } from '@warren/operations/testing';
import { createServiceTestContext, type ServiceTestContext } from '@warren/service/testing';
import { createTestVhost, startTestIssuer, type TestIssuer, type TestVhost } from '@warren/testing';
import { createActivityLog } from './activity.ts';
import { createArchiveSources } from './archive.ts';
import { createApp } from './app.ts';
import { createOidcLogin } from './auth/oidc.ts';
import { createSessionStore } from './auth/sessions.ts';
import type { ConsoleConfig } from './config.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { createOperator } from './operator.ts';
import { createIndexStore } from './parked/index-store.ts';
import { startIndexer } from './parked/indexer.ts';
import { createMessageRates } from './message-rates.ts';
import { createQueueState } from './queue-state.ts';

const migrations = fileURLToPath(new URL('./db/migrations', import.meta.url));

/** The console in-process on a fresh database and vhost (with Warren's consumer queues), and an issuer. */
export interface ConsoleTestContext {
  app: ReturnType<typeof createApp>;
  deps: ConsoleDeps;
  service: ServiceTestContext;
  vhost: TestVhost;
  broker: Broker;
  issuer: TestIssuer;
  /** A bearer token for the console with these scopes. */
  token(scope: string, subject?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createConsoleTestContext({
  retryWindowMs = 200,
  allowEdit = false,
  archives = {},
  metricsUrls = {},
}: { retryWindowMs?: number; allowEdit?: boolean; archives?: Record<string, string>; metricsUrls?: Record<string, string> } = {}): Promise<ConsoleTestContext> {
  const service = await createServiceTestContext('console', migrations);
  const vhost = await createTestVhost('console');
  const connection = await amqp.connect(vhost.url);
  try {
    await declareTopology(connection, {
      exchange: 'events',
      queues: consumerQueues.map(({ queue, bindings }) => ({ queue, bindings: [...bindings], retryDelaysMs: [], deliveryLimit: 5 })),
    });
  } finally {
    await connection.close();
  }
  const broker = await openBroker(vhost.url, { name: 'console-test' });
  const issuer = await startTestIssuer({ defaultAudience: 'warren-console' });
  const config = {
    ...service.deps.config,
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: 'warren-console',
    CONSOLE_PUBLIC_URL: 'http://console.test',
    CONSOLE_OIDC_CLIENT_ID: 'warren-console',
    CONSOLE_OIDC_CLIENT_SECRET: '',
    CONSOLE_SESSION_HOURS: 1,
    CONSOLE_INDEX_INTERVAL_MS: 3_600_000,
    CONSOLE_RETRY_PER_SECOND: 1_000,
    CONSOLE_RETRY_WINDOW_MS: retryWindowMs,
    CONSOLE_ALLOW_EDIT: allowEdit,
    CONSOLE_GRAFANA_URL: 'http://grafana.test',
    CONSOLE_TEMPO_DATASOURCE: 'tempo',
    CONSOLE_LOKI_DATASOURCE: 'loki',
    CONSOLE_ARCHIVE_DATABASE_URLS: archives,
    CONSOLE_METRICS_URLS: metricsUrls,
  } satisfies ConsoleConfig;
  const archiveSources = createArchiveSources(archives);
  const store = createIndexStore(service.deps.db);
  const activity = createActivityLog(service.deps.db);
  const indexer = startIndexer({ broker, store, activity, logger: service.deps.logger, intervalMs: config.CONSOLE_INDEX_INTERVAL_MS, retryWindowMs });
  const operator = createOperator({ broker, archives: archiveSources, store, activity, indexer, logger: service.deps.logger, retryPerSecond: config.CONSOLE_RETRY_PER_SECOND });
  const deps: ConsoleDeps = {
    ...service.deps,
    config,
    store,
    activity,
    sessions: createSessionStore(service.deps.db),
    indexer,
    operator,
    queueState: createQueueState(broker, archiveSources, { rates: createMessageRates(metricsUrls, { timeoutMs: 500 }) }),
    archives: archiveSources,
    verifier: createTokenVerifier({ issuer: issuer.issuer, audience: 'warren-console' }),
    oidc: createOidcLogin(service.deps.db, { issuer: issuer.issuer, clientId: 'warren-console', clientSecret: '' }),
  };
  return {
    app: createApp(deps),
    deps,
    service,
    vhost,
    broker,
    issuer,
    token: (scope, subject = 'operator-1') => issuer.sign({ subject, scope, audience: 'warren-console' }),
    async close() {
      await operator.close();
      await indexer.close();
      await broker.close();
      await archiveSources.close();
      await issuer.close();
      await vhost.delete();
      await service.close();
    },
  };
}

/** The library's valid item.created fixture, with a `traceparent` for the message page's trace link. */
export function itemCreated(correlationId?: string): OutgoingMessage {
  const message = itemCreatedFixture(correlationId);
  return { ...message, headers: { ...message.headers, traceparent: `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01` } };
}

/** Parks `message` in `<queue>.dlq` as a consumer does: its properties plus the `x-warren-*` failure headers. */
export async function park(vhost: TestVhost, message: OutgoingMessage, { queue, error, failedAt = new Date() }: { queue: string; error: { type: string; message: string; code?: string }; failedAt?: Date }): Promise<void> {
  const properties = eventProperties(message);
  const headers: Record<string, unknown> = {
    ...(properties.headers as Record<string, string>),
    [failureHeader.attempt]: 3,
    [failureHeader.errorType]: error.type,
    ...(error.code ? { [failureHeader.errorCode]: error.code } : {}),
    [failureHeader.errorMessage]: error.message,
    [failureHeader.errorStack]: `${error.type}: ${error.message}\n    at handler (inventory/src/handlers/item-created.ts:12:11)`,
    [failureHeader.firstFailureAt]: failedAt.toISOString(),
    [failureHeader.lastFailureAt]: failedAt.toISOString(),
    [failureHeader.originalExchange]: 'events',
    [failureHeader.originalRoutingKey]: message.routingKey,
    [failureHeader.queue]: queue,
  };
  await publishRaw(vhost.url, '', `${queue}.dlq`, JSON.stringify(message.envelope), { ...properties, headers });
}
