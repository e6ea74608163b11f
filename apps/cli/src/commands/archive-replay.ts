import { republishArchived, type ArchivedEventRef } from '@warren/operations';
import { archivedEvents, countArchived, type ArchiveSelection } from '@warren/outbox';
import { serviceDatabaseUrl } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { progressTo } from '../format.ts';
import { isoDate, parseOptions, positiveNumber, required } from '../options.ts';
import { withBroker, withServiceDatabase } from '../sessions.ts';

const usage = `Usage: warren archive replay --service S --type T --since ISO [--until ISO] --to-queue Q [--dry-run] [--rate N]

Re-publishes archived (published) events of one type from S's outbox_messages straight to one
consumer's queue (default exchange, routing key Q, confirms, mandatory), in seq order, with the
body, message id, properties and headers the relay used. Consumers' inboxes drop events they
already applied, so replaying too much is harmless.
  --service S    the producing service whose archive is read (catalog, inventory)
  --type T       event type (item.created) or routing key (item.created.v1)
  --since ISO    first publication time included (ISO-8601; UTC when no offset is given)
  --until ISO    publication time excluded from then on (default: now)
  --to-queue Q   the consumer queue to publish to (<service>.<handler>); must exist
  --rate N       at most N events per second
  --dry-run      list the events that would be published; publish nothing
`;

const options = {
  service: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'to-queue': { type: 'string' },
  rate: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

function describe(event: ArchivedEventRef): string {
  return `seq ${event.seq}  ${event.id}  ${event.routingKey}  published ${event.publishedAt.toISOString()}`;
}

/** `warren archive replay`: exit 0 when every selected event was confirmed, 1 otherwise. */
export const archiveReplay: Command = {
  name: 'archive replay',
  summary: "re-publish archived events from a producer's outbox to one consumer queue",
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const service = required(values.service, 'service', usage);
    const type = required(values.type, 'type', usage);
    const queue = required(values['to-queue'], 'to-queue', usage);
    const since = isoDate(required(values.since, 'since', usage), 'since', usage) ?? new Date(Number.NaN);
    const until = isoDate(values.until, 'until', usage) ?? new Date();
    const rate = positiveNumber(values.rate, 'rate', usage);
    if (until.getTime() <= since.getTime()) {
      throw new UsageError(`--until (${until.toISOString()}) must be after --since (${since.toISOString()})`, usage);
    }
    serviceDatabaseUrl(context.env, service);
    const selection: ArchiveSelection = { type, since, until };
    const window = `${type} published in [${since.toISOString()}, ${until.toISOString()})`;
    return withBroker(context, async (broker) => {
      await broker.checkQueue(queue);
      return withServiceDatabase(context, service, async (sql) => {
        const total = await countArchived(sql, selection);
        const outcome = await republishArchived(broker, archivedEvents(sql, selection), queue, {
          dryRun: values['dry-run'],
          ratePerSecond: rate,
          total,
          onProgress: progressTo(context, 'archive replay'),
        });
        if (outcome.dryRun) {
          for (const event of outcome.wouldPublish) context.stdout.write(`would publish  ${describe(event)}\n`);
          context.stdout.write(`dry run: ${total} archived event(s) of ${window} from ${service} would be published to ${queue}; nothing published\n`);
          return 0;
        }
        context.stdout.write(`published ${outcome.published} of ${total} archived event(s) of ${window} from ${service} to ${queue}\n`);
        if (outcome.failure !== undefined) throw new CliError(`${outcome.failure}; stopped there (later events were not sent)`);
        return 0;
      });
    });
  },
};
