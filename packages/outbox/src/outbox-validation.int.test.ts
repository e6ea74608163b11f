import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeSchema, itemCreatedV1, itemCreatedV2, maxActorLength, stockAdjustedV1 } from '@warren/contracts';
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

  it('validates exactly as a writer: a field the contract does not name is refused, not kept', async () => {
    const event = itemEvent('alice');
    const extra = { ...event, data: { ...event.data, colour: 'red' } } as NewEvent<typeof itemCreatedV1>;
    await expect(database.db.transaction((tx) => outbox.add(tx, extra))).rejects.toBeInstanceOf(UndeliverableEventError);
  });
});

describe('outbox.addVersions: one event in several versions (PostgreSQL only)', () => {
  let database: OutboxTestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('writes one row per version, in order, sharing the envelope id; the first row is keyed by it', async () => {
    const { data, subject, cause } = itemEvent('alice');
    const envelopes = await database.db.transaction((tx) =>
      outbox.addVersions(tx, { subject, cause, versions: [{ definition: itemCreatedV2, data: { ...data, category: 'lighting' } }, { definition: itemCreatedV1, data }] }),
    );
    expect(envelopes.map((envelope) => envelope.version)).toEqual([2, 1]);
    const [id] = new Set(envelopes.map((envelope) => envelope.id));
    expect(envelopes[1]?.id).toBe(id);
    const rows = await database.client<{ id: string; routing_key: string; envelope: { id: string; data: unknown } }[]>`
      select id, routing_key, envelope from outbox_messages where subject = ${subject} order by seq`;
    expect(rows.map((row) => [row.routing_key, row.envelope.id])).toEqual([
      ['item.created.v2', id],
      ['item.created.v1', id],
    ]);
    expect(rows[0]?.id).toBe(id);
    expect(rows[1]?.id).not.toBe(id);
    expect(rows[1]?.envelope.data).toEqual(data);
  });

  it('writes nothing when one version is refused, or the versions are not distinct versions of one type', async () => {
    const { data, subject, cause } = itemEvent('alice');
    const count = async () => Number((await database.client<{ count: string }[]>`select count(*) from outbox_messages where subject = ${subject}`)[0]?.count);
    await expect(
      database.db.transaction((tx) => outbox.addVersions(tx, { subject, cause, versions: [{ definition: itemCreatedV2, data }, { definition: itemCreatedV1, data }] })),
    ).rejects.toBeInstanceOf(UndeliverableEventError);
    await expect(database.db.transaction((tx) => outbox.addVersions(tx, { subject, cause, versions: [{ definition: itemCreatedV1, data }, { definition: itemCreatedV1, data }] }))).rejects.toThrow(
      /distinct versions of one type/,
    );
    await expect(database.db.transaction((tx) => outbox.addVersions(tx, { subject, cause, versions: [{ definition: itemCreatedV1, data }, { definition: stockAdjustedV1, data }] }))).rejects.toThrow(
      /distinct versions of one type/,
    );
    expect(await count()).toBe(0);
  });
});
