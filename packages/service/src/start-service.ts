import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Hono } from 'hono';
import { createTokenVerifier, isUnavailableError, pruneIdempotencyKeys, startServer, type EdgeEnv, type EdgeOptions, type HttpObserver, type MetricsExposition, type Principal } from '@warren/http';
import {
  amqpSubscriberTransport,
  connectBroker,
  createAmqpPublisher,
  retryPolicy,
  runConsumer,
  topologyFor,
  type BrokerConnection,
  type ConsumerDefinition,
  type Subscriber,
} from '@warren/messaging';
import { createOutbox, outboxStatus, pruneInbox, pruneOutbox, scheduleRetention, startRelay, wakeOnCommit, type Database, type Outbox } from '@warren/outbox';
import { createLogger, createMetricsRegistry, metricObservers, registerOutboxGauges, shutdownTelemetry, type Logger } from '@warren/telemetry';
import type { BaseConfig } from './config.ts';
import { databaseTarget, onDatabase } from './database-url.ts';
import { faultInjectionFrom, type FaultInjection } from './fault-injection.ts';
import { prepareDrizzleStatements } from '@warren/outbox';
import { applyMigrations, assertMigrated, expectedMigrations, provisionDatabase } from './provision.ts';

const hour = 3_600_000;

/** What a service's `createApp` and consumers are built from. */
export interface ServiceDeps {
  config: BaseConfig;
  logger: Logger;
  db: Database;
  outbox: Outbox;
  /** Readiness checks for `/ready`: database, broker, migrations, consumers. */
  readiness: Record<string, () => Promise<void>>;
  /** Request metrics and the `/metrics` exposition, for `createEdge`. */
  metrics: { observer: HttpObserver; exposition: MetricsExposition };
  /** Bearer token verification; absent when authentication is off. */
  auth?: { verify(token: string): Promise<Principal> };
  /** Test-only crash and fault hooks (see fault-injection.ts); empty in production. */
  faults: FaultInjection;
}

/** The edge settings of a service, from its configuration and dependencies. */
export function edgeOptions(service: string, deps: ServiceDeps & { version: string }): EdgeOptions {
  return {
    service,
    version: deps.version,
    logger: deps.logger,
    checks: deps.readiness,
    metrics: deps.metrics,
    ...(deps.auth ? { auth: deps.auth } : {}),
    rateLimitPerMinute: deps.config.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: deps.config.AUTH_FAILURES_PER_MINUTE,
    corsOrigins: deps.config.CORS_ORIGINS,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
  };
}

function tokenVerifier(config: BaseConfig, logger: Logger): ServiceDeps['auth'] {
  if (config.AUTH_DISABLED || !config.AUTH_ISSUER) {
    logger.warn('authentication is off: every API request is accepted as caller "anonymous" (set AUTH_ISSUER to turn it on)');
    return undefined;
  }
  return createTokenVerifier({
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    algorithms: config.AUTH_ALGORITHMS,
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
  });
}

export interface ServiceSpec {
  name: string;
  config: BaseConfig;
  migrationsFolder: string;
  createApp(deps: ServiceDeps): Hono<EdgeEnv>;
  consumers?(deps: ServiceDeps): ConsumerDefinition[];
  /** Whether the service writes events (runs a relay). */
  produces: boolean;
}

export interface RunningService {
  port: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Graceful stop: HTTP first, then consumers (in-flight deliveries finish), relay, broker, database. */
  close(): Promise<void>;
}

/**
 * Provisions and migrates the database (when allowed), connects the broker and declares its
 * topology, starts consumers, the relay, retention and HTTP. Rejects with a clear error when a
 * dependency is unreachable at start.
 */
export async function startService(spec: ServiceSpec): Promise<RunningService> {
  const { config, name } = spec;
  const logger = createLogger({ service: name, version: config.SERVICE_VERSION, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const { database, role } = databaseTarget(config.DATABASE_URL);
  if (config.DATABASE_ADMIN_URL) {
    await provisionDatabase(config.DATABASE_ADMIN_URL, config.DATABASE_URL, logger);
    await applyMigrations({ url: onDatabase(config.DATABASE_ADMIN_URL, database), setRole: `${role}_owner`, migrationsFolder: spec.migrationsFolder, logger });
  } else if (config.MIGRATION_DATABASE_URL) {
    await applyMigrations({ url: config.MIGRATION_DATABASE_URL, migrationsFolder: spec.migrationsFolder, logger });
  }
  const client = postgres(config.DATABASE_URL, {
    max: config.DATABASE_POOL_SIZE,
    onnotice: () => {},
    connection: { application_name: name, statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS },
    // postgres.js counts failed connects across the whole pool and waits up to 20 s before the next:
    // a sub-second database blip would stall every connection (consumers, relay, requests) that long.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 2),
  });
  const migrations = await expectedMigrations(spec.migrationsFolder);
  await assertMigrated(client, migrations);
  prepareDrizzleStatements();
  const outbox = createOutbox({ sourceService: name });
  // Every transaction that adds events wakes this process's relay once it has committed.
  let wakeRelay = (): void => {};
  const db = wakeOnCommit(drizzle(client), outbox, () => wakeRelay());
  const metrics = createMetricsRegistry({ service: name });
  const observers = metricObservers(metrics);
  if (spec.produces) registerOutboxGauges(metrics, { read: () => outboxStatus(client) });

  // Filled in as the parts start; readiness reads whatever is there when it is asked.
  const parts: { broker?: BrokerConnection; subscribers: Subscriber[] } = { subscribers: [] };
  const readiness: Record<string, () => Promise<void>> = {
    database: async () => {
      await client`select 1`;
    },
    migrations: () => assertMigrated(client, migrations),
    broker: async () => {
      if (parts.broker?.state !== 'connected') throw new Error(`broker ${parts.broker?.state ?? 'not connected'}`);
    },
    consumers: async () => {
      const detached = parts.subscribers.filter((subscriber) => !subscriber.consuming).map((subscriber) => subscriber.queue);
      if (detached.length > 0) throw new Error(`not consuming: ${detached.join(', ')}`);
    },
  };
  const auth = tokenVerifier(config, logger);
  const deps: ServiceDeps = {
    ...(auth ? { auth } : {}),
    config,
    logger,
    db,
    outbox,
    faults: faultInjectionFrom(process.env),
    readiness,
    metrics: { observer: observers.http, exposition: { contentType: metrics.registry.contentType, render: () => metrics.registry.metrics() } },
  };
  const consumers = spec.consumers?.(deps) ?? [];
  // One policy for the delay queues declared and the retries the consumers schedule.
  const retry = retryPolicy({ delaysMs: config.RETRY_DELAYS_MS, deliveryLimit: config.DELIVERY_LIMIT });
  const broker = await connectBroker({
    url: config.AMQP_URL,
    name,
    logger,
    topology: topologyFor(consumers, { exchange: config.EVENTS_EXCHANGE, retry }),
  });
  const publisher = createAmqpPublisher(broker, { exchange: config.EVENTS_EXCHANGE, logger });
  parts.broker = broker;
  observers.brokerState(broker.state);
  broker.onStateChange((state) => observers.brokerState(state));
  const transport = amqpSubscriberTransport(broker);
  const subscribers = await Promise.all(
    consumers.map((consumer) =>
      runConsumer(transport, consumer, {
        logger,
        prefetch: config.CONSUMER_PREFETCH,
        retry,
        // The service's own database being down must not burn every message's retries.
        dependency: { isDown: isUnavailableError, probe: async () => void (await client`select 1`) },
        observer: observers.consumer,
        ...(deps.faults.consumer ? { faults: deps.faults.consumer } : {}),
      }),
    ),
  );
  parts.subscribers = subscribers;
  const relay = spec.produces
    ? await startRelay({
        client,
        publisher,
        logger,
        batchSize: config.RELAY_BATCH_SIZE,
        pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
        isConnected: () => broker.state === 'connected',
        observer: observers.relay,
        ...(deps.faults.failpoint ? { failpoint: deps.faults.failpoint } : {}),
      })
    : undefined;
  if (relay) {
    wakeRelay = () => relay.wake();
    broker.onStateChange((state) => state === 'connected' && relay.wake());
  }
  const retention = scheduleRetention(
    [
      { name: 'outbox', run: () => pruneOutbox(db, config.OUTBOX_RETENTION_HOURS * hour) },
      { name: 'inbox', run: () => pruneInbox(db, config.INBOX_RETENTION_HOURS * hour) },
      { name: 'idempotency', run: () => pruneIdempotencyKeys(db, { olderThanMs: config.IDEMPOTENCY_RETENTION_HOURS * hour }) },
    ],
    { intervalMs: config.RETENTION_INTERVAL_MS, logger },
  );
  const server = await startServer(spec.createApp(deps), { port: config.PORT, hostname: config.HOST });
  logger.info({ port: server.port, consumers: consumers.map((consumer) => consumer.queue), relay: Boolean(relay) }, 'service started');

  return {
    port: server.port,
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async close() {
      await server.close();
      await Promise.all(subscribers.map((subscriber) => subscriber.close()));
      await relay?.close();
      await retention.close();
      await publisher.close();
      await broker.close();
      await client.end({ timeout: 5 });
      logger.info('service stopped');
      await shutdownTelemetry();
    },
  };
}
