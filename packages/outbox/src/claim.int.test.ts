import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from 'postgres';
import { claimBatch } from './claim.ts';
import { openTestDatabase, type OutboxTestDatabase } from './harness.test-support.ts';

/** Inserts one pending row per subject given, in order; returns their seqs. */
async function addRows(client: Sql, subjects: readonly string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const subject of subjects) {
    const [row] = await client<{ seq: string }[]>`
      insert into outbox_messages (id, type, version, routing_key, subject, envelope, headers)
      values (gen_random_uuid(), 'item.created', 1, 'item.created.v1', ${subject}, '{}'::jsonb, '{}'::jsonb)
      returning seq`;
    seqs.push(Number(row?.seq));
  }
  return seqs;
}

/** The seqs one claim would take now, in a transaction rolled back at once. */
async function claimedSeqs(client: Sql, limit = 100): Promise<number[]> {
  let seqs: number[] = [];
  await client
    .begin(async (tx) => {
      seqs = (await claimBatch(tx, limit)).map((row) => row.seq);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  return seqs;
}

describe('claimBatch', () => {
  let database: OutboxTestDatabase;
  let client: Sql;

  beforeAll(async () => {
    database = await openTestDatabase();
    ({ client } = database);
  });
  afterEach(async () => {
    await client`truncate outbox_messages`;
  });
  afterAll(async () => {
    await database.close();
  });

  it('claims due rows in seq order, several of one subject together', async () => {
    const seqs = await addRows(client, ['a', 'b', 'a', 'c', 'a']);
    expect(await claimedSeqs(client)).toEqual(seqs);
  });

  it('keeps rows a batch limit cuts off behind the rows of their subject inside the batch', async () => {
    const [a1, b1, a2] = await addRows(client, ['a', 'b', 'a', 'a']);
    // The third row of `a` lies outside the batch but after its rows in it: they go.
    expect(await claimedSeqs(client, 3)).toEqual([a1, b1, a2]);
  });

  it('holds back the rows of a subject whose earlier row another relay has claimed, and claims the rest', async () => {
    const [a1, b1, a2, c1, a3] = await addRows(client, ['a', 'b', 'a', 'c', 'a']);
    let claimedByOther: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const other = client.begin(async (tx) => {
      claimedByOther = (await claimBatch(tx, 1)).map((row) => row.seq);
      holding();
      await released;
    });
    try {
      await held;
      expect(claimedByOther).toEqual([a1]);
      // a1 is locked (skipped); a2 and a3 must wait for it, even though they are due.
      expect(await claimedSeqs(client)).toEqual([b1, c1]);
    } finally {
      release();
      await other;
    }
    // The other relay ended without marking a1: every row is claimable again, in order.
    expect(await claimedSeqs(client)).toEqual([a1, b1, a2, c1, a3]);
  });

  it('holds back the rows of a subject behind an earlier row that is not due yet', async () => {
    const [a1, b1, a2] = await addRows(client, ['a', 'b', 'a']);
    await client`update outbox_messages set next_attempt_at = now() + interval '1 hour' where seq = ${a1!}`;
    expect(await claimedSeqs(client)).toEqual([b1]);
    await client`update outbox_messages set published_at = now() where seq = ${a1!}`;
    expect(await claimedSeqs(client)).toEqual([b1, a2]);
  });
});
