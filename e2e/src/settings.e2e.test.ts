import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVhost, infrastructure, startOtlpReceiver, startTestIssuer, waitFor, withDatabase, type TestIssuer, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';
import { npmRun, npmRunToExit, type NpmRun } from './support/npm-start.ts';

const services = ['catalog', 'inventory', 'audit'] as const;
/** The root `npm start` runs the operators' console beside the three event services. */
const started = [...services, 'console'] as const;
const serverKind = 2;
const consumerKind = 5;

// Settings given the way users give them: in the environment of `npm start`, nothing else. Each
// service gets its own database through its prefixed variable (CATALOG_DATABASE_URL, …), which
// is also what shows that a prefixed setting reaches only its service.
function settings(vhost: TestVhost, prefix: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const admin = infrastructure().databaseUrl;
  const databases = Object.fromEntries(started.map((service) => [`${service.toUpperCase()}_DATABASE_URL`, withDatabase(admin, `${prefix}_${service}`, service)]));
  return {
    ...process.env,
    WARREN_DOTENV: 'false',
    NODE_ENV: 'development',
    PORT: '0',
    DATABASE_ADMIN_URL: admin,
    AMQP_URL: vhost.url,
    OTEL_SDK_DISABLED: 'true',
    ...databases,
    ...extra,
  };
}

async function dropDatabases(prefix: string): Promise<void> {
  const admin = postgres(infrastructure().databaseUrl, { max: 1, onnotice: () => {} });
  try {
    for (const service of started) await admin.unsafe(`drop database if exists "${prefix}_${service}" with (force)`);
  } finally {
    await admin.end();
  }
}

describe('settings reach every service through the root npm start', () => {
  const prefix = `npmstart_${randomBytes(4).toString('hex')}`;
  let vhost: TestVhost;
  let issuer: TestIssuer;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let run: NpmRun;

  beforeAll(async () => {
    [vhost, issuer, receiver] = await Promise.all([createTestVhost('npm-start'), startTestIssuer(), startOtlpReceiver()]);
    run = await npmRun({
      args: ['start'],
      services: started,
      env: settings(vhost, prefix, {
        AUTH_ISSUER: issuer.issuer,
        RATE_LIMIT_PER_MINUTE: '3',
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      }),
    });
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
    await Promise.all([vhost?.delete(), issuer?.close(), receiver?.close()]);
    await dropDatabases(prefix);
  }, 60_000);

  it('turns authentication on in every service when AUTH_ISSUER is set', async () => {
    const paths = { catalog: '/api/v1/items', inventory: `/api/v1/stock/${crypto.randomUUID()}`, audit: '/api/v1/events' };
    for (const service of services) {
      const anonymous = await requestJson(run.services[service]!.baseUrl, paths[service]);
      expect(anonymous.status, service).toBe(401);
      expect(run.services[service]!.logs.some((entry) => String(entry['msg']).startsWith('authentication is off')), service).toBe(false);
    }
  });

  it('starts the console on its own database, with authentication on and its scopes required', async () => {
    const consoleUrl = run.services['console']!.baseUrl;
    expect((await requestJson(consoleUrl, '/api/v1/groups')).status).toBe(401);
    const viewer = await issuer.sign({ subject: `npm-start-viewer-${prefix}`, scope: 'warren:read', audience: 'warren-console' });
    const groups = await requestJson<{ items: unknown[] }>(consoleUrl, '/api/v1/groups', { headers: { authorization: `Bearer ${viewer}` } });
    expect(groups.status).toBe(200);
    const refresh = await requestJson(consoleUrl, '/api/v1/index/refresh', { method: 'POST', headers: { authorization: `Bearer ${viewer}`, 'Idempotency-Key': `refresh-${prefix}` } });
    expect(refresh.status, 'warren:read may not act').toBe(403);
    const admin = postgres(withDatabase(infrastructure().databaseUrl, `${prefix}_console`), { max: 1, onnotice: () => {} });
    try {
      const [tables] = await admin<{ count: number }[]>`select count(*)::int as count from information_schema.tables where table_schema = 'public'`;
      expect(tables?.count, 'the console migrated the database CONSOLE_DATABASE_URL names').toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
  });

  it('exports spans of all three services to OTEL_EXPORTER_OTLP_ENDPOINT, and limits each caller to RATE_LIMIT_PER_MINUTE', async () => {
    const token = await issuer.sign({ subject: `npm-start-${prefix}`, scope: 'catalog:read catalog:write', audience: 'warren-catalog' });
    const headers = { authorization: `Bearer ${token}` };
    const created = await requestJson<{ id: string }>(run.services.catalog!.baseUrl, '/api/v1/items', {
      method: 'POST',
      body: { name: 'Configured', sku: `CFG-${prefix}`, priceCents: 5 },
      headers: { ...headers, 'Idempotency-Key': prefix },
    });
    expect(created.status).toBe(201);
    const reads = [];
    for (let n = 0; n < 3; n += 1) reads.push((await requestJson(run.services.catalog!.baseUrl, `/api/v1/items/${created.body.id}`, { headers })).status);
    expect(reads).toEqual([200, 200, 429]);

    const traced = await waitFor(
      () => {
        const server = receiver.spans.some((span) => span.service === 'catalog' && span.kind === serverKind);
        const consumers = ['inventory', 'audit'].every((service) => receiver.spans.some((span) => span.service === service && span.kind === consumerKind));
        return server && consumers ? receiver.spans : undefined;
      },
      { description: 'spans from catalog, inventory and audit', timeoutMs: 30_000 },
    );
    // Nothing else exports under a service's name (the console exports its own spans when it is asked).
    const exporters = new Set(traced.map((span) => span.service));
    for (const service of services) expect(exporters).toContain(service);
    expect([...exporters].filter((service) => !(started as readonly string[]).includes(service))).toEqual([]);
  });
});

describe('settings through the other entry points', () => {
  let vhost: TestVhost;

  beforeAll(async () => {
    vhost = await createTestVhost('npm-start');
  });
  afterAll(() => vhost?.delete());

  it('refuses to start in production without an issuer, saying why', async () => {
    const prefix = `npmprod_${randomBytes(4).toString('hex')}`;
    const { code, output } = await npmRunToExit(['start'], settings(vhost, prefix, { NODE_ENV: 'production', AUTH_ISSUER: '' }));
    expect(code).not.toBe(0);
    expect(output).toContain('AUTH_ISSUER: required in production');
    expect(output).not.toContain('"msg":"service started"');
  }, 180_000);

  it('passes the environment of `npm start -w apps/catalog` to that service', async () => {
    const prefix = `npmone_${randomBytes(4).toString('hex')}`;
    const one = await npmRun({ args: ['start', '-w', 'apps/catalog'], services: ['catalog'], env: settings(vhost, prefix, { RATE_LIMIT_PER_MINUTE: '2' }) });
    try {
      const statuses = [];
      for (let n = 0; n < 3; n += 1) statuses.push((await requestJson(one.services['catalog']!.baseUrl, '/api/v1/items')).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await one.stop();
      await dropDatabases(prefix);
    }
  }, 180_000);
});
