import { pacer, publishArchived, queuesOf, recoverySources, type RecoverySource } from '@warren/operations';
import { messagingServices } from '@warren/contracts';
import { archivedEvents, countArchived, readArchivePage, type ArchivedEvent } from '@warren/outbox';
import type { Sql } from 'postgres';
import type { Command, RunContext } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { progressTo, table } from '../format.ts';
import { isoDate, parseOptions, positiveNumber, required } from '../options.ts';
import { withBroker, withServiceDatabase } from '../sessions.ts';

/**
 * How far before `--since` the archive is read. The backup's time is when the operator (or
 * pg_dump) started, the snapshot is a little later, `published_at` is stamped by the producer's
 * clock after the broker's confirm, and a consumer applies an event a little after that: re-sending
 * a few minutes too many is harmless (the inbox drops them), missing one is not.
 */
export const safetyMarginMs = 5 * 60_000;

const usage = `Usage: warren recover --service S --since ISO [--dry-run] [--rate N]

After S's database was restored from a backup, re-publishes what it may have lost: for every
queue S consumes (@warren/contracts consumerQueues), every producer of a routing key bound to it
(eventProducers; a # binding takes every event) is read for the events it published since
--since minus a ${safetyMarginMs / 60_000}-minute safety margin, and those are sent to that queue (default
exchange, confirms, mandatory) in the producer's seq order, with their message ids: S's inbox
drops what the restored database already has, so recovering too much is harmless.
Refuses when --since is older than a producer's archive (its oldest published row; older events
are pruned after OUTBOX_RETENTION_HOURS and cannot be recovered).
  --service S    the restored consumer (audit, inventory)
  --since ISO    when the backup was taken (ISO-8601; UTC when no offset is given)
  --rate N       at most N events per second (all queues together)
  --dry-run      say what would be published, per queue and producer; publish nothing
`;

const options = {
  service: { type: 'string' },
  since: { type: 'string' },
  rate: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

interface Window {
  from: Date;
  until: Date;
}

interface PlannedSource extends RecoverySource {
  /** Publication time of the producer's oldest archived event; undefined when its archive is empty. */
  archiveFrom: Date | undefined;
  events: number;
  sent?: number;
}

async function oldestArchived(sql: Sql, until: Date): Promise<Date | undefined> {
  const { events } = await readArchivePage(sql, { since: new Date(0), until }, { limit: 1 });
  return events[0]?.publishedAt;
}

async function countEvents(sql: Sql, { routingKeys }: RecoverySource, { from, until }: Window): Promise<number> {
  let total = 0;
  for (const type of routingKeys) total += await countArchived(sql, { type, since: from, until });
  return total;
}

/** The source's events in the producer's seq order (one read, filtered here, so keys stay interleaved). */
async function* eventsOf(sql: Sql, { routingKeys }: RecoverySource, { from, until }: Window): AsyncGenerator<ArchivedEvent> {
  for await (const event of archivedEvents(sql, { since: from, until })) {
    if (routingKeys.includes(event.message.routingKey)) yield event;
  }
}

/** Reads each producer's archive start and event counts; refuses when --since predates an archive. */
async function plan(context: RunContext, sources: readonly RecoverySource[], since: Date, window: Window): Promise<PlannedSource[]> {
  const planned: PlannedSource[] = [];
  for (const producer of new Set(sources.map((source) => source.producer))) {
    await withServiceDatabase(context, producer, async (sql) => {
      const archiveFrom = await oldestArchived(sql, window.until);
      if (archiveFrom !== undefined && archiveFrom.getTime() > since.getTime()) {
        throw new CliError(
          `--since ${since.toISOString()} is older than ${producer}'s archive, which starts at ${archiveFrom.toISOString()} ` +
            `(published events are kept OUTBOX_RETENTION_HOURS): events ${producer} published before then cannot be recovered. ` +
            `If the loss is accepted, or ${producer} published nothing earlier, rerun with --since ${archiveFrom.toISOString()}`,
        );
      }
      for (const source of sources.filter((candidate) => candidate.producer === producer)) {
        planned.push({ ...source, archiveFrom, events: await countEvents(sql, source, window) });
      }
    });
  }
  return planned;
}

function report(planned: readonly PlannedSource[], sent: boolean): string {
  const header = ['QUEUE', 'PRODUCER', 'ROUTING KEYS', 'ARCHIVE FROM', 'EVENTS', ...(sent ? ['SENT'] : [])];
  const rows = planned.map((source) => [source.queue, source.producer, source.routingKeys.join(','), source.archiveFrom?.toISOString() ?? '(empty)', source.events, ...(sent ? [source.sent ?? 0] : [])]);
  return table(header, rows);
}

/** Validates the service and --since; throws `CliError` / `UsageError` before anything is opened. */
function sourcesFor(service: string, since: Date, now: Date): RecoverySource[] {
  const known = messagingServices() as string[];
  if (!known.includes(service)) throw new CliError(`unknown service ${service}: expected one of ${known.join(', ')}`);
  if (queuesOf(service).length === 0) throw new CliError(`${service} consumes no queue: there is nothing to recover into it (its own events are in its outbox)`);
  if (since.getTime() > now.getTime()) throw new UsageError(`--since ${since.toISOString()} is in the future: give the time the backup was taken`, usage);
  return recoverySources(service);
}

/** `warren recover`: exit 0 when every selected event was confirmed (or on a dry run), 1 otherwise. */
export const recover: Command = {
  name: 'recover',
  summary: 're-publish, from every producer archive, the events a restored consumer may have lost',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const service = required(values.service, 'service', usage);
    const since = isoDate(required(values.since, 'since', usage), 'since', usage) ?? new Date(Number.NaN);
    const rate = positiveNumber(values.rate, 'rate', usage);
    const until = new Date();
    const sources = sourcesFor(service, since, until);
    const window: Window = { from: new Date(since.getTime() - safetyMarginMs), until };
    const out = context.stdout;
    return withBroker(context, async (broker) => {
      for (const { queue } of queuesOf(service)) await broker.checkQueue(queue);
      const planned = await plan(context, sources, since, window);
      const total = planned.reduce((sum, source) => sum + source.events, 0);
      out.write(`recovering ${service}: events published in [${window.from.toISOString()}, ${until.toISOString()}) (--since minus ${safetyMarginMs / 60_000} min)\n`);
      if (values['dry-run']) {
        out.write(report(planned, false));
        out.write(`dry run: ${total} archived event(s) would be re-published to ${service}'s queue(s); nothing published\n`);
        return 0;
      }
      const pace = pacer(rate);
      let failure: string | undefined;
      for (const source of planned) {
        if (failure !== undefined || source.events === 0) continue;
        await withServiceDatabase(context, source.producer, async (sql) => {
          const outcome = await publishArchived(broker, { events: eventsOf(sql, source, window), total: source.events, queue: source.queue, pace, onProgress: progressTo(context, 'recover') });
          source.sent = outcome.published;
          if (outcome.failure !== undefined) failure = `${source.queue} from ${source.producer}: ${outcome.failure}`;
        });
      }
      out.write(report(planned, true));
      const sent = planned.reduce((sum, source) => sum + (source.sent ?? 0), 0);
      out.write(`re-published ${sent} of ${total} archived event(s) to ${service}'s queue(s)\n`);
      if (failure !== undefined) throw new CliError(`${failure}; stopped there (later events were not sent; rerunning is safe)`);
      return 0;
    });
  },
};
