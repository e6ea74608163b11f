import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventProperties, type OutgoingMessage } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { waitFor } from '@warren/testing';
import { itemCreatedEvent, publishEvent } from '../support/broker.ts';
import { startFaultSystem, type FaultSystem } from '../support/fault-system.ts';
import { assertInvariants, parkedIds, type ExtraEvent } from '../support/invariants.ts';
import { superviseCrashLoop } from '../support/processes.ts';
import { duringStream } from '../support/stream.ts';
import { listParked } from '../support/warren-cli.ts';

const queues = { inventory: 'inventory.item-created', audit: 'audit.event-log' } as const;
const deliveryLimit = 3;

/** `message` with its envelope changed after the fact, as a buggy or foreign producer might send it. */
function tampered(message: OutgoingMessage, change: Record<string, unknown>, routingKey = message.routingKey): { body: string; properties: ReturnType<typeof eventProperties> } {
  return { body: JSON.stringify({ ...message.envelope, ...change }), properties: { ...eventProperties(message), type: routingKey } };
}

describe('poison messages under a steady stream of writes', () => {
  let faults: FaultSystem;
  const items = new Set<string>();
  const auditExtra: ExtraEvent[] = [];
  const parked: Record<string, string[]> = { [`${queues.inventory}.dlq`]: [], [`${queues.audit}.dlq`]: [] };

  // inventory runs with a failpoint that kills it whenever it is handed this one message.
  const poison = itemCreatedEvent('poison');
  const armed = { WARREN_FAILPOINT: `consumer.before-handle:${poison.envelope.id}` };

  beforeAll(async () => {
    faults = await startFaultSystem('poison', { serviceEnv: () => ({ inventory: { DELIVERY_LIMIT: String(deliveryLimit), ...armed } }) });
  });
  afterAll(() => faults?.close());

  const catalog = () => [faults.system.services.catalog.baseUrl];
  const expected = () => ({ items, extra: { audit: auditExtra }, parked });

  it('parks unparsable and invalid messages at once, with their reason, and an unknown version where it is not handled; audit logs that one; the stream goes on around them', { timeout: 90_000 }, async () => {
    const { vhost } = faults;
    const unparsable = itemCreatedEvent('unparsable');
    const invalid = itemCreatedEvent('invalid');
    const unknownVersion = itemCreatedEvent('unknown-version');
    await duringStream(
      'bad-input',
      items,
      async () => {
        await publishRaw(vhost.url, 'events', unparsable.routingKey, '{"id": "half a message', eventProperties(unparsable));
        const broken = tampered(invalid, { data: { ...(invalid.envelope.data as Record<string, unknown>), sku: '' } });
        await publishRaw(vhost.url, 'events', invalid.routingKey, broken.body, broken.properties);
        const future = tampered(unknownVersion, { version: 9 }, 'item.created.v9');
        // audit takes every routing key (and logs a well-formed unknown version); inventory binds
        // v1 and v2 only, so it gets the v9 message sent to its queue directly.
        await publishRaw(vhost.url, 'events', 'item.created.v9', future.body, future.properties);
        await publishRaw(vhost.url, '', queues.inventory, future.body, future.properties);
      },
      { targets: catalog },
    );
    const ids = [unparsable, invalid, unknownVersion].map((message) => message.envelope.id);
    parked[`${queues.inventory}.dlq`]?.push(...ids);
    parked[`${queues.audit}.dlq`]?.push(unparsable.envelope.id, invalid.envelope.id);
    auditExtra.push({ id: unknownVersion.envelope.id, subject: unknownVersion.envelope.subject });

    await assertInvariants(faults.system, faults.vhost, expected());
    const reasons = (await listParked(vhost)).map(({ id, queue, parkedBy, attempts, error }) => ({ id, queue, parkedBy, attempts, code: /\[(\w+)\]/.exec(error)?.[1] }));
    for (const queue of Object.values(queues)) {
      expect(reasons.filter((reason) => reason.queue === queue).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [
          { id: unparsable.envelope.id, queue, parkedBy: 'warren', attempts: 1, code: 'invalid_json' },
          { id: invalid.envelope.id, queue, parkedBy: 'warren', attempts: 1, code: 'invalid_data' },
          ...(queue === queues.inventory ? [{ id: unknownVersion.envelope.id, queue, parkedBy: 'warren', attempts: 1, code: 'unknown_event' }] : []),
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
    }
  });

  it(`parks a message that crashes its consumer on every delivery after ${deliveryLimit} deliveries, without taking the stream with it`, { timeout: 240_000 }, async () => {
    const { system, vhost } = faults;
    const supervisor = superviseCrashLoop(system, 'inventory', armed);
    try {
      await duringStream(
        'crash-loop',
        items,
        async (writer) => {
          await publishEvent(vhost, poison);
          await waitFor(async () => (await parkedIds(vhost))[`${queues.inventory}.dlq`]?.includes(poison.envelope.id), {
            description: 'the consumer to park the poison message',
            // Three restarts of inventory; each start can take 20 s on a loaded 2-core machine.
            timeoutMs: 150_000,
            intervalMs: 250,
          });
          await writer.acceptMore(10);
        },
        { targets: catalog },
      );
    } finally {
      await supervisor.stop();
    }
    parked[`${queues.inventory}.dlq`]?.push(poison.envelope.id);
    // audit has no failpoint: it applies the poison message like any other event.
    auditExtra.push({ id: poison.envelope.id, subject: poison.envelope.subject });

    await assertInvariants(system, vhost, expected());
    // One crash per delivery; the consumer reads the queue's x-delivery-count and parks the
    // delivery that follows DELIVERY_LIMIT crashes before anything runs on it, on every broker version.
    expect(supervisor.restarts).toBe(deliveryLimit);
    const [dead] = (await listParked(vhost)).filter((message) => message.id === poison.envelope.id);
    expect(dead).toMatchObject({ queue: queues.inventory, parkedBy: 'warren', error: expect.stringContaining('DeliveryLimitError [delivery_limit]') });
  });
});
