import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { itemCreatedV1 } from '@warren/contracts';
import type { Sql } from 'postgres';
import { openTestDatabase } from './harness.test-support.ts';
import { createOutbox, type Database } from './index.ts';

describe('the outbox keeps the writer’s trace context', () => {
  let client: Sql;
  let db: Database;
  let close: () => Promise<void>;
  const manager = new AsyncLocalStorageContextManager();

  beforeAll(async () => {
    context.setGlobalContextManager(manager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    ({ client, db, close } = await openTestDatabase());
  });
  afterAll(async () => {
    await close();
    propagation.disable();
    context.disable();
  });

  it('stores the active span as traceparent, so what a handler or request publishes continues its trace', async () => {
    const traceId = crypto.randomUUID().replaceAll('-', '');
    const spanId = traceId.slice(0, 16);
    const active = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    const outbox = createOutbox({ sourceService: 'inventory' });
    await context.with(active, () =>
      db.transaction(async (tx) => {
        await outbox.add(tx, {
          definition: itemCreatedV1,
          subject: 's',
          data: { id: crypto.randomUUID(), name: 'x', sku: 'X', priceCents: 1, createdAt: new Date().toISOString() },
          cause: { correlationId: 'c', causationId: 'event-that-caused-it' },
        });
      }),
    );
    const [row] = await client<{ headers: Record<string, string> }[]>`select headers from outbox_messages`;
    expect(row?.headers['traceparent']).toBe(`00-${traceId}-${spanId}-01`);
    expect(row?.headers['causation_id']).toBe('event-that-caused-it');
  });
});
