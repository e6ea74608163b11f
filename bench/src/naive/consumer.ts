// A naive consumer, run as its own process by the bench: `node consumer.ts inventory|audit`.
// Each delivery is one autocommitted `INSERT … ON CONFLICT DO NOTHING` on the event's unique key,
// then the ack. No inbox, no retry queues, no dead-lettering: a failed insert is requeued.
// Settings: DATABASE_URL, AMQP_URL, DATABASE_POOL_SIZE (10), CONSUMER_PREFETCH (32), EVENTS_EXCHANGE.
import amqp from 'amqplib';
import type { ConsumeMessage } from 'amqplib';
import postgres, { type Sql } from 'postgres';
import { integerSetting, logLine, required, stopOnSignal } from './announce.ts';

interface ItemCreated {
  id: string;
  type: string;
  timestamp: string;
  data: { id: string; sku: string; name: string; priceCents: number };
}

const handlers: Record<string, (sql: Sql, event: ItemCreated) => Promise<unknown>> = {
  inventory: (sql, event) => sql`insert into stock (item_id, sku) values (${event.data.id}, ${event.data.sku}) on conflict (item_id) do nothing`,
  audit: (sql, event) =>
    sql`insert into events (id, type, timestamp, data) values (${event.id}, ${event.type}, ${event.timestamp}, ${sql.json(event.data)}) on conflict (id) do nothing`,
};

const name = process.argv[2] ?? '';
const chosen = handlers[name];
if (!chosen) throw new Error(`usage: consumer.ts ${Object.keys(handlers).join('|')}`);
const handle = chosen;
const exchange = process.env['EVENTS_EXCHANGE'] ?? 'naive.events';
const queue = `naive.${name}`;
const sql = postgres(required('DATABASE_URL'), { max: integerSetting('DATABASE_POOL_SIZE', 10), onnotice: () => {} });
const connection = await amqp.connect(required('AMQP_URL'));
const channel = await connection.createChannel();
await channel.prefetch(integerSetting('CONSUMER_PREFETCH', 32));
await channel.assertExchange(exchange, 'topic', { durable: true });
await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
await channel.bindQueue(queue, exchange, 'item.created');

async function onMessage(message: ConsumeMessage | null): Promise<void> {
  if (!message) return;
  try {
    await handle(sql, JSON.parse(message.content.toString('utf8')) as ItemCreated);
    channel.ack(message);
  } catch (error) {
    logLine('error', `cannot apply ${message.properties.messageId as string}: ${error instanceof Error ? error.message : String(error)}`);
    channel.nack(message, false, true);
  }
}

const { consumerTag } = await channel.consume(queue, (message) => void onMessage(message));
logLine('info', 'service started', { port: 0 });
stopOnSignal(async () => {
  await channel.cancel(consumerTag);
  await connection.close();
  await sql.end({ timeout: 5 });
});
