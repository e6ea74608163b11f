import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PermanentError, type ConsumedMessage } from '@warren/messaging';
import type { Sql } from 'postgres';
import { delivery as deliveryOf, openTestDatabase } from './harness.test-support.ts';
import { inbox, type Database, type Transaction } from './index.ts';

const delivery = (): ConsumedMessage => deliveryOf();

describe('inbox group commit', () => {
  let client: Sql;
  let db: Database;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ client, db, close } = await openTestDatabase());
  });
  afterAll(async () => {
    await close();
  });

  it('applies concurrent deliveries in shared transactions, each once, and resolves only after commit', async () => {
    const transactions = new Set<Transaction>();
    const handle = inbox(db, { handler: 'group' }, async (message, tx) => {
      transactions.add(tx);
      await tx.execute(sql`insert into applied (message_id, handler, subject) values (${message.envelope.id}, 'group', ${message.envelope.subject})`);
    });
    const messages = Array.from({ length: 40 }, delivery);
    const outcomes = await Promise.all([...messages, messages[0]!].map(async (message) => {
      const outcome = await handle(message);
      // Visible to another connection as soon as it resolves: committed before the ack.
      const [row] = await client<{ count: string }[]>`select count(*) from applied where message_id = ${message.envelope.id}`;
      expect(row?.count).toBe('1');
      return outcome;
    }));
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(40);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(1);
    expect(transactions.size).toBeLessThan(40);
  });

  it('lets a failing message fail alone while the rest of its batch commits', async () => {
    const poisoned = delivery();
    const handle = inbox(db, { handler: 'culprit' }, async (message, tx) => {
      if (message.envelope.id === poisoned.envelope.id) throw new PermanentError('refused');
      await tx.execute(sql`insert into applied (message_id, handler, subject) values (${message.envelope.id}, 'culprit', ${message.envelope.subject})`);
    });
    const messages = [...Array.from({ length: 10 }, delivery), poisoned, ...Array.from({ length: 10 }, delivery)];
    const results = await Promise.allSettled(messages.map((message) => handle(message)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(PermanentError);
    const [applied] = await client<{ count: string }[]>`select count(*) from applied where handler = 'culprit'`;
    expect(applied?.count).toBe('20');
    const [inboxRows] = await client<{ count: string }[]>`select count(*) from inbox_messages where handler = 'culprit'`;
    expect(inboxRows?.count).toBe('20');
  });

  // The first delivery is applied alone; those handed over in the same turn queue behind it and
  // are applied together in the next transaction.
  describe('with concurrent subjects', () => {
    it('lets a failing subject fail alone: the other subjects of its batch are applied once each, even mid-handler', async () => {
      const poisoned = deliveryOf('poisoned');
      const calls = new Map<string, number>();
      let running = 0;
      /** How many handlers of the failed batch were still running when each message was retried alone. */
      const leftOver: number[] = [];
      const handle = inbox(db, { handler: 'concurrent-culprit', concurrentSubjects: true }, async (message, tx) => {
        const call = (calls.get(message.envelope.id) ?? 0) + 1;
        calls.set(message.envelope.id, call);
        if (call > 1) leftOver.push(running);
        if (message.envelope.id === poisoned.envelope.id) throw new PermanentError('refused');
        running += 1;
        try {
          // Two statements: the second must not outlive the batch the culprit failed.
          for (const step of ['first', 'second']) {
            await tx.execute(sql`insert into applied (message_id, handler, subject) values (${message.envelope.id}, 'concurrent-culprit', ${step})`);
          }
        } finally {
          running -= 1;
        }
      });
      const messages = [...Array.from({ length: 4 }, delivery), poisoned, ...Array.from({ length: 4 }, delivery)];
      const results = await Promise.allSettled(messages.map((message) => handle(message)));
      expect(results.map((result) => result.status)).toEqual(messages.map((message) => (message === poisoned ? 'rejected' : 'fulfilled')));
      expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(PermanentError);
      // The culprit ran in the batch and again alone: the batch did fail, and was applied message by message.
      expect(calls.get(poisoned.envelope.id)).toBe(2);
      // The batch ended only once every handler in it had settled.
      expect(leftOver).toEqual(messages.slice(1).map(() => 0));
      const rows = await client<{ message_id: string; count: string }[]>`select message_id, count(*) from applied where handler = 'concurrent-culprit' group by message_id`;
      expect(rows).toHaveLength(8);
      expect(rows.every((row) => row.count === '2')).toBe(true);
      const [inboxRows] = await client<{ count: string }[]>`select count(*) from inbox_messages where handler = 'concurrent-culprit'`;
      expect(inboxRows?.count).toBe('8');
    });

    it('applies the messages of one subject in delivery order, each seeing what the one before wrote', async () => {
      await client`create table if not exists positions (subject text not null, position int not null, message_id uuid not null)`;
      const transactions = new Map<string, Transaction>();
      const handle = inbox(db, { handler: 'ordered', concurrentSubjects: true }, async (message, tx) => {
        transactions.set(message.envelope.id, tx);
        const [last] = await tx.execute<{ position: number | null }>(sql`select max(position) as position from positions where subject = ${message.envelope.subject}`);
        await tx.execute(sql`insert into positions (subject, position, message_id) values (${message.envelope.subject}, ${(last?.position ?? 0) + 1}, ${message.envelope.id})`);
      });
      const subjects = [crypto.randomUUID(), crypto.randomUUID()];
      const lead = delivery();
      const batch = [0, 1, 0, 1, 0, 0].map((index) => deliveryOf(subjects[index]));
      const outcomes = await Promise.all([lead, ...batch].map((message) => handle(message)));
      expect(outcomes.every((outcome) => outcome === 'applied')).toBe(true);
      // Applied together, not one by one after a failed batch.
      expect(new Set(batch.map((message) => transactions.get(message.envelope.id))).size).toBe(1);
      for (const subject of subjects) {
        const rows = await client<{ message_id: string; position: number }[]>`select message_id, position from positions where subject = ${subject} order by position`;
        const delivered = batch.filter((message) => message.envelope.subject === subject);
        expect(rows).toEqual(delivered.map((message, index) => ({ message_id: message.envelope.id, position: index + 1 })));
      }
    });
  });
});
