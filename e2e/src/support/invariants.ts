import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { peekQueue, waitFor, type RunningSystem, type TestVhost } from '@warren/testing';
import { column } from './sql.ts';

/** An event a test published itself (not through the catalog) that a consumer must apply. */
export interface ExtraEvent {
  id: string;
  subject: string;
}

/** The dead-letter queues of the system's consumers. */
export const deadLetterQueues = ['inventory.item-created.dlq', 'audit.event-log.dlq'] as const;

/** Message ids parked per dead-letter queue, sorted, empty queues left out (read exactly, and left in place). */
export async function parkedIds(vhost: TestVhost): Promise<Record<string, string[]>> {
  const parked: Record<string, string[]> = {};
  for (const queue of deadLetterQueues) {
    const ids = (await peekQueue(vhost, queue)).map((message) => String(message.messageId)).sort();
    if (ids.length > 0) parked[queue] = ids;
  }
  return parked;
}

/** What the system must hold once it has drained. */
export interface Expected {
  /** Item ids of every write the edges accepted in this system so far. */
  items: Iterable<string>;
  /** Events published around the catalog that inventory or audit must have applied once. */
  extra?: { inventory?: readonly ExtraEvent[]; audit?: readonly ExtraEvent[] };
  /** Event ids each dead-letter queue must hold; the others must be empty. */
  parked?: Record<string, readonly string[]>;
  /** How long the consumers may take to catch up; default 45 s. */
  timeoutMs?: number;
}

const sorted = (values: Iterable<string>) => [...values].sort();

/** Waits until `read` returns `expected`, then asserts it, so a mismatch fails with a diff. */
async function settlesTo(description: string, read: () => Promise<unknown>, expected: unknown, timeoutMs: number): Promise<void> {
  await waitFor(async () => isDeepStrictEqual(await read(), expected), { description, timeoutMs, intervalMs: 250 }).catch(() => undefined);
  expect(await read(), description).toEqual(expected);
}

/**
 * The invariants every fault scenario ends with: accepted writes = catalog items = item.created
 * outbox rows, all published; inventory's stock rows and inbox rows and audit's events and inbox
 * rows are exactly those events (each once: the lists keep duplicates) plus the test's own; the
 * dead-letter queues hold exactly `parked` (read message by message, not by a count).
 */
export async function assertInvariants(system: RunningSystem, vhost: TestVhost, expected: Expected): Promise<void> {
  const { timeoutMs = 45_000, extra = {}, parked = {} } = expected;
  const items = sorted(new Set(expected.items));
  const catalog = system.databaseUrl('catalog');
  const inventory = system.databaseUrl('inventory');
  const audit = system.databaseUrl('audit');

  for (const [service, url] of [['catalog', catalog], ['inventory', inventory]] as const) {
    await settlesTo(`nothing left unpublished in the ${service} outbox`, () => column(url, (sql) => sql<{ value: string }[]>`select seq::text as value from outbox_messages where published_at is null`), [], timeoutMs);
  }
  expect(await column(catalog, (sql) => sql<{ value: string }[]>`select id::text as value from items`), 'catalog items = accepted writes').toEqual(items);
  expect(await column(catalog, (sql) => sql<{ value: string }[]>`select subject as value from outbox_messages where type = 'item.created'`), 'one item.created outbox row per accepted write').toEqual(items);
  const eventIds = await column(catalog, (sql) => sql<{ value: string }[]>`select id::text as value from outbox_messages where type = 'item.created'`);

  const inventoryEvents = sorted([...eventIds, ...(extra.inventory ?? []).map((event) => event.id)]);
  const stocked = sorted([...items, ...(extra.inventory ?? []).map((event) => event.subject)]);
  await settlesTo('inventory inbox: each item.created applied once', () => column(inventory, (sql) => sql<{ value: string }[]>`select message_id::text as value from inbox_messages where handler = 'inventory.item-created'`), inventoryEvents, timeoutMs);
  expect(await column(inventory, (sql) => sql<{ value: string }[]>`select item_id::text as value from stock`), 'one stock row per applied item.created').toEqual(stocked);

  const auditEvents = sorted([...eventIds, ...(extra.audit ?? []).map((event) => event.id)]);
  await settlesTo('audit log: each event once', () => column(audit, (sql) => sql<{ value: string }[]>`select id::text as value from events`), auditEvents, timeoutMs);
  expect(await column(audit, (sql) => sql<{ value: string }[]>`select message_id::text as value from inbox_messages where handler = 'audit.event-log'`), 'audit inbox = audit log').toEqual(auditEvents);

  const expectedParked = Object.fromEntries(Object.entries(parked).filter(([, ids]) => ids.length > 0).map(([queue, ids]) => [queue, sorted(ids)]));
  await settlesTo('the dead-letter queues hold exactly what the scenario parked', () => parkedIds(vhost), expectedParked, Math.min(timeoutMs, 20_000));
}
