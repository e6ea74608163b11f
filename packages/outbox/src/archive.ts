import type { Sql } from 'postgres';
import type { Envelope } from '@warren/contracts';
import type { EventHeaders, OutgoingMessage } from '@warren/messaging';

/**
 * Which published events to read from a producer's archive (its `outbox_messages`): those
 * published in [since, until), optionally of one type and one subject. Pending rows never match.
 */
export interface ArchiveSelection {
  /** An event type (`item.created`, every version) or a routing key (`item.created.v1`). */
  type?: string;
  /** One subject (the aggregate id the events are ordered by). */
  subject?: string;
  /** First publication time included. */
  since: Date;
  /** Publication time excluded from then on. */
  until: Date;
}

/** A published event as the relay sent it, with where it stands in the archive. */
export interface ArchivedEvent {
  seq: number;
  publishedAt: Date;
  message: OutgoingMessage;
}

export interface ArchivePageOptions {
  /** Read the events after this `seq` (the `next` of the previous page); from the start by default. */
  after?: number;
  /** Events per page; default 500. */
  limit?: number;
}

/** One page of an archive read, in `seq` order. */
export interface ArchivePage {
  events: ArchivedEvent[];
  /** The `after` of the next page; undefined on the last page. */
  next: number | undefined;
}

interface ArchiveRow {
  seq: string;
  routing_key: string;
  envelope: Envelope;
  headers: EventHeaders;
  published_ms: number;
}

const routingKeyPattern = /^(.+)\.v\d+$/;

/**
 * The where clause of `selection`, shaped for the archive's indexes: `(type, published_at)` when a
 * type is given, `(published_at)` otherwise. A routing key is `<type>.v<version>`, so a type that
 * looks like one is matched on both columns and still reaches the type index.
 */
function matching(sql: Sql, { type, subject, since, until }: ArchiveSelection) {
  const range = sql`published_at >= ${since.toISOString()}::timestamptz and published_at < ${until.toISOString()}::timestamptz`;
  const prefix = type === undefined ? undefined : routingKeyPattern.exec(type)?.[1];
  const ofType =
    type === undefined
      ? sql``
      : prefix === undefined
        ? sql`and type = ${type}`
        : sql`and type in (${type}, ${prefix}) and (type = ${type} or routing_key = ${type})`;
  const ofSubject = subject === undefined ? sql`` : sql`and subject = ${subject}`;
  return sql`${range} ${ofType} ${ofSubject}`;
}

function archived(row: ArchiveRow): ArchivedEvent {
  return {
    seq: Number(row.seq),
    publishedAt: new Date(row.published_ms),
    message: { envelope: row.envelope, routingKey: row.routing_key, headers: row.headers },
  };
}

// Times cross as ISO text and epoch milliseconds: a client shared with drizzle has postgres.js's
// date serializers and parsers switched off, so Date values would not survive the trip.

/** How many published events `selection` covers. Read-only. */
export async function countArchived(sql: Sql, selection: ArchiveSelection): Promise<number> {
  const [row] = await sql<{ count: string }[]>`select count(*) from outbox_messages where ${matching(sql, selection)}`;
  return Number(row?.count ?? 0);
}

/**
 * One page of the published events of `selection` in `seq` order, after `after`. Each page is one
 * short statement (keyset on `seq`), so a long read holds no transaction open on the producer's
 * database. Read-only.
 */
export async function readArchivePage(sql: Sql, selection: ArchiveSelection, { after = 0, limit = 500 }: ArchivePageOptions = {}): Promise<ArchivePage> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const rows = await sql<ArchiveRow[]>`
    select seq, routing_key, envelope, headers, (extract(epoch from published_at) * 1000)::float8 as published_ms
    from outbox_messages
    where ${matching(sql, selection)} and seq > ${after}
    order by seq
    limit ${limit}`;
  const events = rows.map(archived);
  return { events, next: events.length === limit ? events.at(-1)?.seq : undefined };
}

/** Every published event of `selection` in `seq` order, read a page of `pageSize` at a time. Read-only. */
export async function* archivedEvents(sql: Sql, selection: ArchiveSelection, { pageSize = 500 }: { pageSize?: number } = {}): AsyncGenerator<ArchivedEvent> {
  let after: number | undefined = 0;
  while (after !== undefined) {
    const page: ArchivePage = await readArchivePage(sql, selection, { after, limit: pageSize });
    yield* page.events;
    after = page.next;
  }
}
