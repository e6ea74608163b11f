import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema, itemCreatedV1, maxActorLength } from '@warren/contracts';
import { openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';
import { UndeliverableEventError, createOutbox, type NewEvent } from './index.ts';

const outbox = createOutbox({ sourceService: 'catalog' });

function itemEvent(actor: string, name = 'Lamp'): NewEvent<typeof itemCreatedV1> {
  const id = crypto.randomUUID();
  return {
    definition: itemCreatedV1,
    subject: id,
    data: { id, name, sku: `SKU-${id.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
    cause: { correlationId: 'corr', actor },
  };
}

describe('outbox.add refuses what consumers would refuse (PostgreSQL only)', () => {
  let database: OutboxTestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  const count = async () => Number((await database.client<{ count: string }[]>`select count(*) from outbox_messages`)[0]?.count);

  it('stores an event whose actor is as long as the contract allows, and consumers accept it', async () => {
    const envelope = await database.db.transaction((tx) => outbox.add(tx, itemEvent('a'.repeat(maxActorLength))));
    const [row] = await database.client<{ envelope: unknown }[]>`select envelope from outbox_messages where id = ${envelope.id}`;
    expect(envelopeSchema.safeParse(row?.envelope).success).toBe(true);
  });

  it('throws UndeliverableEventError and writes nothing when the envelope breaks the contract', async () => {
    const before = await count();
    const tooLong = database.db.transaction((tx) => outbox.add(tx, itemEvent('a'.repeat(maxActorLength + 1))));
    await expect(tooLong).rejects.toBeInstanceOf(UndeliverableEventError);
    await expect(tooLong).rejects.toThrow(/metadata\.actor/);
    await expect(database.db.transaction((tx) => outbox.add(tx, itemEvent('alice\u0000')))).rejects.toBeInstanceOf(UndeliverableEventError);
    expect(await count()).toBe(before);
  });

  it('throws UndeliverableEventError when the data breaks its schema', async () => {
    await expect(database.db.transaction((tx) => outbox.add(tx, itemEvent('alice', 'bad\ud800')))).rejects.toBeInstanceOf(UndeliverableEventError);
  });
});
