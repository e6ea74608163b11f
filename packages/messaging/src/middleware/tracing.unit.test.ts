import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, trace, type Attributes, type Span, type SpanStatus } from '@opentelemetry/api';
import { PermanentError } from '../errors.ts';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import type { Settlement } from '../pipeline/delivery.ts';
import { tracing } from './tracing.ts';

/** The part of a span the stage writes to, recorded for assertions. */
function recordingSpan() {
  const recorded = { attributes: {} as Attributes, events: [] as { name: string; attributes?: Attributes }[], exceptions: [] as unknown[], status: undefined as SpanStatus | undefined };
  const span = {
    spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }),
    setAttributes: (attributes: Attributes) => (Object.assign(recorded.attributes, attributes), span),
    addEvent: (name: string, attributes?: Attributes) => (recorded.events.push({ name, ...(attributes ? { attributes } : {}) }), span),
    recordException: (exception: unknown) => void recorded.exceptions.push(exception),
    setStatus: (status: SpanStatus) => ((recorded.status = status), span),
  } as unknown as Span;
  return { span, recorded };
}

describe('tracing', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => void context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    manager.disable();
    context.disable();
  });

  async function traced(settlement: Settlement) {
    const { span, recorded } = recordingSpan();
    const event = itemCreatedEvent();
    await context.with(trace.setSpan(context.active(), span), () => tracing()(async () => settlement)(deliveryOf(event)));
    return { recorded, event };
  }

  it('puts the messaging attributes of the delivery on the active span', async () => {
    const { recorded, event } = await traced({ result: 'applied' });
    expect(recorded.attributes).toMatchObject({
      'messaging.destination.name': 'events:item.created.v1:inventory.item-created',
      'messaging.message.id': event.envelope.id,
      'warren.attempt': 1,
    });
    expect(recorded.events).toEqual([]);
    expect(recorded.status).toBeUndefined();
  });

  it('records a parked message as an error with its exception and an event naming the queue', async () => {
    const error = new PermanentError('bad data');
    const { recorded } = await traced({ result: 'dead_lettered', error, toQueue: 'inventory.item-created.dlq', attempt: 1 });
    expect(recorded.exceptions).toEqual([error]);
    expect(recorded.status).toMatchObject({ message: 'bad data' });
    expect(recorded.events).toEqual([{ name: 'warren.dead_lettered', attributes: { 'warren.attempt': 1, 'warren.to_queue': 'inventory.item-created.dlq' } }]);
  });

  it('marks a skipped duplicate and a scheduled retry', async () => {
    expect((await traced({ result: 'duplicate' })).recorded.events).toEqual([{ name: 'warren.duplicate_skipped' }]);
    const retried = await traced({ result: 'retried', error: new Error('timeout'), toQueue: 'q.retry.1', attempt: 1 });
    expect(retried.recorded.events.map((event) => event.name)).toEqual(['warren.retry_scheduled']);
  });

  it('hands the rest of the pipeline its settlement unchanged when there is no active span', async () => {
    const settlement: Settlement = { result: 'retried', error: new Error('timeout'), toQueue: 'q.retry.1', attempt: 1 };
    await expect(tracing()(async () => settlement)(deliveryOf(itemCreatedEvent()))).resolves.toBe(settlement);
  });
});
