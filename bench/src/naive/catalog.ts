// The naive catalog, run as its own process by the bench: insert the item and commit, then
// publish item.created on a confirm channel. No outbox, no idempotency keys: a crash or a broker
// outage between the commit and the confirm loses the event. Settings: DATABASE_URL, AMQP_URL,
// DATABASE_POOL_SIZE (10), EVENTS_EXCHANGE.
import { randomUUID } from 'node:crypto';
import { serve } from '@hono/node-server';
import amqp from 'amqplib';
import { Hono } from 'hono';
import postgres from 'postgres';
import { z } from 'zod';
import { integerSetting, logLine, required, stopOnSignal } from './announce.ts';

const exchange = process.env['EVENTS_EXCHANGE'] ?? 'naive.events';
const sql = postgres(required('DATABASE_URL'), { max: integerSetting('DATABASE_POOL_SIZE', 10), onnotice: () => {} });
const connection = await amqp.connect(required('AMQP_URL'));
const channel = await connection.createConfirmChannel();
await channel.assertExchange(exchange, 'topic', { durable: true });

const newItem = z.object({
  name: z.string().min(1).max(200),
  sku: z.string().min(1).max(64),
  priceCents: z.number().int().min(0),
});

function publish(routingKey: string, event: { id: string; [field: string]: unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(event)), { persistent: true, contentType: 'application/json', messageId: event.id }, (error) =>
      error ? reject(new Error(`cannot publish ${routingKey} ${event.id}`, { cause: error })) : resolve(),
    );
  });
}

const app = new Hono();
app.post('/api/v1/items', async (c) => {
  const parsed = newItem.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) return c.json({ title: 'invalid item' }, 400);
  const item = { id: randomUUID(), ...parsed.data };
  const timestamp = new Date();
  try {
    await sql`insert into items (id, name, sku, price_cents, created_at) values (${item.id}, ${item.name}, ${item.sku}, ${item.priceCents}, ${timestamp})`;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return c.json({ title: 'sku taken' }, 409);
    throw error;
  }
  await publish('item.created', { id: item.id, type: 'item.created', version: 1, timestamp: timestamp.toISOString(), data: item });
  return c.json(item, 201);
});
app.onError((error, c) => {
  logLine('error', error.message);
  return c.json({ title: 'internal error' }, 500);
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, ({ port }) => logLine('info', 'service started', { port }));
stopOnSignal(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await connection.close();
  await sql.end({ timeout: 5 });
});
