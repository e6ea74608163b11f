import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { itemCreatedV1 } from '@warren/contracts';
import { createEnvelope, PermanentError, type ConsumedMessage } from '@warren/messaging';
import type { Sql } from 'postgres';
import { openTestDatabase } from './harness.test-support.ts';
import { inbox, type Database, type Transaction } from './index.ts';

function delivery(): ConsumedMessage {
  const id = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: id,
    data: { id, name: 'x', sku: `SKU-${id.slice(0, 8)}`, priceCents: 1, createdAt: new Date().toISOString() },
  });
  return { envelope, headers: {}, correlationId: 'c', queue: 'q', routingKey: 'item.created.v1', redelivered: false, attempt: 1 };
}

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
});
