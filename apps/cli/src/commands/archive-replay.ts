import { eventProperties } from '@warren/messaging';
import { archivedEvents, countArchived, type ArchivedEvent, type ArchiveSelection } from '@warren/outbox';
import type { Broker } from '../broker.ts';
import { serviceDatabaseUrl } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { CliError, describeError, UsageError } from '../errors.ts';
import { inFlight } from '../in-flight.ts';
import { isoDate, parseOptions, positiveNumber, required } from '../options.ts';
import { pacer } from '../pacer.ts';
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

function describe(event: ArchivedEvent): string {
  return `seq ${event.seq}  ${event.message.envelope.id}  ${event.message.routingKey}  published ${event.publishedAt.toISOString()}`;
}

interface PublishRun {
  events: AsyncIterable<ArchivedEvent>;
  total: number;
  queue: string;
  rate: number | undefined;
}

/** Publishes in seq order with at most 100 confirms outstanding; stops at the first failure. */
async function publishAll(broker: Broker, context: RunContext, { events, total, queue, rate }: PublishRun): Promise<{ published: number; failure?: string }> {
  const window = inFlight(100);
  const pace = pacer(rate);
  let published = 0;
  let failure: string | undefined;
  let lastProgress = { at: performance.now(), count: 0 };
  for await (const event of events) {
    if (failure !== undefined) break;
    await pace.wait();
    const { envelope } = event.message;
    await window.add(async () => {
      try {
        await broker.publishToQueue(queue, Buffer.from(JSON.stringify(envelope)), eventProperties(event.message));
        published += 1;
      } catch (error) {
        failure ??= `could not publish seq ${event.seq} (${envelope.id}): ${describeError(error)}`;
      }
    });
    if (published - lastProgress.count >= 500 || performance.now() - lastProgress.at >= 1_000) {
      lastProgress = { at: performance.now(), count: published };
      context.stderr.write(`archive replay: ${published}/${total} published to ${queue} (up to seq ${event.seq})\n`);
    }
  }
  await window.drain();
  return failure === undefined ? { published } : { published, failure };
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
        if (values['dry-run']) {
          for await (const event of archivedEvents(sql, selection)) context.stdout.write(`would publish  ${describe(event)}\n`);
          context.stdout.write(`dry run: ${total} archived event(s) of ${window} from ${service} would be published to ${queue}; nothing published\n`);
          return 0;
        }
        const outcome = await publishAll(broker, context, { events: archivedEvents(sql, selection), total, queue, rate });
        context.stdout.write(`published ${outcome.published} of ${total} archived event(s) of ${window} from ${service} to ${queue}\n`);
        if (outcome.failure !== undefined) throw new CliError(`${outcome.failure}; stopped there (later events were not sent)`);
        return 0;
      });
    });
  },
};
