import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { createTestVhost, infrastructure, startOtlpReceiver, startSystem, waitFor, type RunningSystem, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';

const producerKind = 4;
const consumerKind = 5;
const serverKind = 2;

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('one trace from the request to every consumer, with logs and metrics beside it', () => {
  let vhost: TestVhost;
  let system: RunningSystem;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    [vhost, receiver] = await Promise.all([createTestVhost('otel'), startOtlpReceiver()]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      env: {
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        // Inventory's first attempt at each message fails, so a retry shows in the trace.
        WARREN_FAULT: 'transient:inventory.item-created',
      },
    });
  });
  afterAll(async () => {
    await system?.close();
    await Promise.all([vhost?.delete(), receiver?.close()]);
  });

  it('links the server span, database spans, the relay publish and both consumers (with the retry) in one trace', async () => {
    const traceId = crypto.randomUUID().replaceAll('-', '');
    const parentSpanId = traceId.slice(0, 16);
    const requestId = `trace-${traceId.slice(0, 8)}`;
    const created = await requestJson<{ id: string }>(system.services.catalog.baseUrl, '/api/v1/items', {
      method: 'POST',
      body: { name: 'Traced lamp', sku: `TRACE-${traceId.slice(0, 8)}`, priceCents: 100 },
      headers: { 'Idempotency-Key': requestId, 'X-Request-Id': requestId, traceparent: `00-${traceId}-${parentSpanId}-01` },
    });
    expect(created.status).toBe(201);

    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const consumers = (service: string) => inTrace().filter((span) => span.kind === consumerKind && span.service === service);
    await waitFor(() => consumers('audit').length >= 1 && consumers('inventory').length >= 2, { description: 'consumer spans of audit and both inventory attempts', timeoutMs: 20_000 });
    const spans = inTrace();

    const server = spans.find((span) => span.kind === serverKind && span.service === 'catalog');
    expect(server?.parentSpanId).toBe(parentSpanId);
    // Findable in Tempo by the request id: { span."http.request.header.x-request-id" = "…" }.
    expect(server?.attributes['http.request.header.x-request-id']).toEqual([requestId]);
    const databaseSpans = spans.filter((span) => span.service === 'catalog' && span.attributes['db.system.name'] === 'postgresql');
    expect(databaseSpans.map((span) => span.attributes['db.operation.name'])).toEqual(expect.arrayContaining(['transaction', 'insert']));

    const producer = spans.find((span) => span.kind === producerKind && span.service === 'catalog');
    expect(producer?.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.destination.name': 'events:item.created.v2',
      'messaging.rabbitmq.destination.routing_key': 'item.created.v2',
      'messaging.message.conversation_id': requestId,
      'messaging.operation.name': 'publish',
    });
    const wait = spans.find((span) => span.name === 'outbox wait');
    expect(wait?.attributes['warren.outbox.wait_ms']).toBeTypeOf('number');

    const [audit] = consumers('audit');
    expect(audit?.parentSpanId).toBe(producer?.spanId);
    expect(audit?.attributes).toMatchObject({
      'messaging.destination.name': 'events:item.created.v2:audit.event-log',
      'messaging.operation.name': 'process',
      'messaging.message.conversation_id': requestId,
    });
    const attempts = consumers('inventory').sort((a, b) => Number(a.attributes['warren.attempt']) - Number(b.attributes['warren.attempt']));
    expect(attempts.map((span) => span.attributes['warren.attempt'])).toEqual([1, 2]);
    expect(attempts[0]?.parentSpanId).toBe(producer?.spanId);
    expect(attempts[0]?.events.map((event) => event.name)).toContain('warren.retry_scheduled');
    const auditWrites = spans.filter((span) => span.service === 'audit' && span.attributes['db.operation.name'] === 'insert');
    expect(auditWrites.length).toBeGreaterThan(0);
  });

  it('writes the trace id and correlation id on log lines inside a request', async () => {
    const requestId = `logs-${crypto.randomUUID().slice(0, 8)}`;
    await requestJson(system.services.catalog.baseUrl, '/api/v1/items', {
      method: 'POST',
      body: { name: 'Logged', sku: `LOG-${requestId}`, priceCents: 1 },
      headers: { 'Idempotency-Key': requestId, 'X-Request-Id': requestId },
    });
    const line = await waitFor(() => system.services.catalog.logs.find((entry) => entry['request_id'] === requestId && entry['msg'] === 'request completed'), {
      description: 'the request log line',
    });
    expect(line).toMatchObject({ service: 'catalog', correlation_id: requestId, route: '/api/v1/items', status: 201 });
    expect(line['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    await waitFor(() => receiver.spans.some((span) => span.traceId === line['trace_id'] && span.kind === serverKind), {
      description: 'the server span of the logged trace',
    });
  });

  it('moves the /metrics series as traffic flows: applied, duplicate and dead-lettered each counted', async () => {
    const scrape = async () => (await fetch(`${system.services.audit.baseUrl}/metrics`)).text();
    const count = (text: string, result: string) => metricValue(text, 'warren_messages_consumed_total', { handler: 'audit.event-log', result });
    const before = await scrape();
    const envelope = createEnvelope({
      definition: itemCreatedV1,
      sourceService: 'catalog',
      subject: crypto.randomUUID(),
      data: { id: crypto.randomUUID(), name: 'Twice', sku: 'TWICE', priceCents: 1, createdAt: new Date().toISOString() },
    });
    const body = JSON.stringify(envelope);
    await publishRaw(vhost.url, 'events', 'item.created.v1', body, { messageId: envelope.id, correlationId: 'metrics' });
    await publishRaw(vhost.url, 'events', 'item.created.v1', body, { messageId: envelope.id, correlationId: 'metrics' });
    await publishRaw(vhost.url, 'events', 'item.created.v1', '{broken', { messageId: 'broken' });
    const after = await waitFor(async () => {
      const text = await scrape();
      return count(text, 'dead_lettered') > count(before, 'dead_lettered') && count(text, 'duplicate') > count(before, 'duplicate') ? text : undefined;
    }, { description: 'the consumed counters to move' });
    expect(count(after, 'applied')).toBeGreaterThan(count(before, 'applied'));
    expect(after).toContain('warren_event_end_to_end_seconds_bucket');
    const catalogMetrics = await (await fetch(`${system.services.catalog.baseUrl}/metrics`)).text();
    expect(metricValue(catalogMetrics, 'http_requests_total', { method: 'POST', route: '/api/v1/items', status: '201' })).toBeGreaterThanOrEqual(2);
    expect(catalogMetrics).toMatch(/warren_messages_published_total(\{[^}]*\})? [1-9]/);
    expect(catalogMetrics).toContain('warren_outbox_pending');
    expect(catalogMetrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/items"[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}"\}/);
  });
});
