import { findDeadLetterQueues, groupParked, listParked, summaryOf, type GroupBy, type ParkedEntry } from '@warren/operations';
import { readConfig } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { table, truncate } from '../format.ts';
import { UsageError } from '../errors.ts';
import { deadLetterQueue, parseOptions } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq list [--queue Q] [--type T] [--group BY] [--json]

Lists parked messages: id, type, the queue they failed in, attempts, failure time and error.
  --queue Q   one dead-letter queue (<service>.<handler>.dlq); default: the <queue>.dlq of every
              consumer queue Warren declares (those that exist in the vhost), plus the *.dlq
              queues the management API lists when AMQP_MANAGEMENT_URL is set
  --type T    only this event type (item.created) or routing key (item.created.v1)
  --group BY  one line per group instead of per message: BY is fingerprint (the same error type,
              code, message with its numbers, ids, quoted strings and times blanked, and top
              stack frame), type, queue or service; with count, first and last failure
  --json      one JSON array of messages (or groups) instead of a table
Nothing is removed: messages are taken and returned to their queue.
`;

const options = {
  queue: { type: 'string' },
  type: { type: 'string' },
  group: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const groupings: readonly GroupBy[] = ['fingerprint', 'type', 'queue', 'service'];

function groupingOf(value: string): GroupBy {
  const found = groupings.find((grouping) => grouping === value);
  if (!found) throw new UsageError(`--group must be one of ${groupings.join(', ')}, got ${JSON.stringify(value)}`, usage);
  return found;
}

function groups(entries: readonly ParkedEntry[], by: GroupBy, json: boolean, where: string): string {
  const found = groupParked(entries, by);
  if (json) return `${JSON.stringify(found.map(({ sample, ...group }) => ({ ...group, sample: summaryOf(sample) })), null, 2)}\n`;
  if (found.length === 0) return `no parked messages in ${where}\n`;
  const rows = found.map((group) => [group.key, group.count, group.firstSeen, group.lastSeen, truncate(group.title, 100)]);
  return `${table([by.toUpperCase(), 'COUNT', 'FIRST SEEN', 'LAST SEEN', 'ERROR'], rows)}${entries.length} parked message(s) in ${found.length} group(s) in ${where}\n`;
}

/** `warren dlq list`: read-only; every message taken is returned to its queue. */
export const dlqList: Command = {
  name: 'dlq list',
  summary: 'list parked messages of one or every dead-letter queue',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = values.queue === undefined ? undefined : deadLetterQueue(values.queue, usage);
    const groupBy = values.group === undefined ? undefined : groupingOf(values.group);
    return withBroker(context, async (broker) => {
      const config = readConfig(context.env);
      const queues = queue ? [queue] : await findDeadLetterQueues(broker, { managementUrl: config.managementUrl, onWarning: (message) => context.stderr.write(`warren: ${message}\n`) });
      const entries = await listParked(broker, queues, { type: values.type });
      const where = queue ?? `${queues.length} dead-letter queue(s) of vhost ${broker.vhost}`;
      if (groupBy !== undefined) {
        context.stdout.write(groups(entries, groupBy, values.json, where));
        return 0;
      }
      const summaries = entries.map(summaryOf);
      if (values.json) {
        context.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
        return 0;
      }
      if (summaries.length === 0) {
        context.stdout.write(`no parked messages in ${where}\n`);
        return 0;
      }
      const rows = summaries.map((s) => [s.id, s.type, s.queue, s.attempts, s.replayCount, s.failedAt, truncate(s.error, 100)]);
      context.stdout.write(table(['ID', 'TYPE', 'QUEUE', 'ATTEMPTS', 'REPLAYS', 'FAILED AT', 'ERROR'], rows));
      context.stdout.write(`${summaries.length} parked message(s) in ${where}\n`);
      return 0;
    });
  },
};
