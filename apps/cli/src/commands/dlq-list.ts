import { findDeadLetterQueues, listParked, summaryOf } from '@warren/operations';
import { readConfig } from '../config.ts';
import type { Command, RunContext } from '../context.ts';
import { table, truncate } from '../format.ts';
import { deadLetterQueue, parseOptions } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq list [--queue Q] [--type T] [--json]

Lists parked messages: id, type, the queue they failed in, attempts, failure time and error.
  --queue Q   one dead-letter queue (<service>.<handler>.dlq); default: the <queue>.dlq of every
              consumer queue Warren declares (those that exist in the vhost), plus the *.dlq
              queues the management API lists when AMQP_MANAGEMENT_URL is set
  --type T    only this event type (item.created) or routing key (item.created.v1)
  --json      one JSON array of messages instead of a table
Nothing is removed: messages are taken and returned to their queue.
`;

const options = {
  queue: { type: 'string' },
  type: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** `warren dlq list`: read-only; every message taken is returned to its queue. */
export const dlqList: Command = {
  name: 'dlq list',
  summary: 'list parked messages of one or every dead-letter queue',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = values.queue === undefined ? undefined : deadLetterQueue(values.queue, usage);
    return withBroker(context, async (broker) => {
      const config = readConfig(context.env);
      const queues = queue ? [queue] : await findDeadLetterQueues(broker, { managementUrl: config.managementUrl, onWarning: (message) => context.stderr.write(`warren: ${message}\n`) });
      const summaries = (await listParked(broker, queues, { type: values.type })).map(summaryOf);
      if (values.json) {
        context.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
        return 0;
      }
      const where = queue ?? `${queues.length} dead-letter queue(s) of vhost ${broker.vhost}`;
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
