import { countArchived, readArchivePage, type ArchivedEvent, type ArchivePage, type ArchivePageOptions, type ArchiveSelection } from '@warren/outbox';
import type { Sql } from 'postgres';
import { publishArchived, type ArchivePublishProgress } from './archive-publish.ts';
import type { Broker } from './broker.ts';
import { pacer } from './pacer.ts';

/** One page of a producer's archive, with how many events the whole selection holds. */
export interface ArchiveBrowse extends ArchivePage {
  total: number;
}

/**
 * One page of the published events of a producer's archive (`outbox_messages` of the service
 * whose database `sql` is) that `filter` selects (type or routing key, subject, publication time
 * in [since, until)), in seq order, after `page.after`; `next` reads the following page. Read-only.
 */
export async function browseArchive(sql: Sql, filter: ArchiveSelection, page: ArchivePageOptions = {}): Promise<ArchiveBrowse> {
  const [total, found] = await Promise.all([countArchived(sql, filter), readArchivePage(sql, filter, page)]);
  return { ...found, total };
}

/** An archived event as a dry run lists it. */
export interface ArchivedEventRef {
  seq: number;
  id: string;
  routingKey: string;
  publishedAt: Date;
}

export interface RepublishOptions {
  /** List what would be published and publish nothing; default false. */
  dryRun?: boolean;
  ratePerSecond?: number | undefined;
  /** How many events `rows` holds, for progress; default unknown (0). */
  total?: number;
  /** Told at most once a second or every 500 events how far publishing got. */
  onProgress?: (progress: ArchivePublishProgress) => void;
}

export interface RepublishOutcome {
  queue: string;
  dryRun: boolean;
  published: number;
  /** On a dry run, every event that would be published, in order; empty otherwise. */
  wouldPublish: ArchivedEventRef[];
  /** Why publishing stopped early (later events were not sent); undefined when every event was confirmed. */
  failure?: string;
}

/**
 * Re-publishes archived events (from `browseArchive` pages, or `archivedEvents` of
 * `@warren/outbox` for a whole selection) to the consumer queue `queue`, as `warren archive
 * replay` does: default exchange, confirms, mandatory, in the order given, with the body, message
 * id, properties and headers the relay used (consumers' inboxes drop what they already applied),
 * at most `ratePerSecond`. Stops at the first publish that fails and says why in `failure`.
 * Throws `OperationsError` (`queue_not_found`) before anything is sent when `queue` does not exist.
 */
export async function republishArchived(
  broker: Broker,
  rows: Iterable<ArchivedEvent> | AsyncIterable<ArchivedEvent>,
  queue: string,
  { dryRun = false, ratePerSecond, total = 0, onProgress }: RepublishOptions = {},
): Promise<RepublishOutcome> {
  await broker.checkQueue(queue);
  if (dryRun) {
    const wouldPublish: ArchivedEventRef[] = [];
    for await (const event of rows) wouldPublish.push({ seq: event.seq, id: event.message.envelope.id, routingKey: event.message.routingKey, publishedAt: event.publishedAt });
    return { queue, dryRun, published: 0, wouldPublish };
  }
  const events = (async function* () {
    yield* rows;
  })();
  const outcome = await publishArchived(broker, { events, total, queue, pace: pacer(ratePerSecond), onProgress });
  return { queue, dryRun, published: outcome.published, wouldPublish: [], ...(outcome.failure === undefined ? {} : { failure: outcome.failure }) };
}
