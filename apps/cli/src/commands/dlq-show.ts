import { listParked, summaryOf, type ParkedEntry } from '@warren/operations';
import type { Command, RunContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { keyValues } from '../format.ts';
import { deadLetterQueue, parseOptions, required } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq show --queue Q --id ID [--json]

Prints one parked message in full: its failure, AMQP properties, headers and body (pretty-printed
when it is JSON). Nothing is removed.
  --queue Q   the dead-letter queue (<service>.<handler>.dlq)
  --id ID     the message id (AMQP messageId, the event id)
  --json      print {summary, properties, body} as JSON
`;

const options = {
  queue: { type: 'string' },
  id: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function bodyText({ body }: ParkedEntry): string {
  if (typeof body === 'string') return body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? JSON.stringify(body, null, 2) : JSON.stringify(body);
}

function render(entry: ParkedEntry): string {
  const { properties, headers, arrival } = entry;
  const timestamp = properties['timestamp'];
  return [
    `Message ${entry.id ?? '(no id)'} in ${entry.deadLetterQueue}\n`,
    keyValues([
      ['failed in', entry.queue],
      ['type', entry.type ?? '-'],
      ['parked by', entry.parkedBy],
      ['error', entry.error],
      ['attempts', entry.attempts ?? '-'],
      ['failed at', entry.failedAt ?? '-'],
      ['replays', entry.replayCount],
    ]),
    '\nProperties\n',
    keyValues(
      Object.entries({
        ...properties,
        ...(typeof timestamp === 'number' ? { timestamp: `${timestamp} (${new Date(timestamp * 1000).toISOString()})` } : {}),
        exchange: arrival.exchange || '(default)',
        routingKey: arrival.routingKey,
      }),
    ),
    '\nHeaders\n',
    Object.keys(headers).length > 0 ? keyValues(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) : '  (none)\n',
    `\nBody (${entry.bodyBytes} bytes)\n`,
    `${bodyText(entry)}\n`,
  ].join('');
}

/** `warren dlq show`: read-only; exits 1 when no message of that id is parked in the queue. */
export const dlqShow: Command = {
  name: 'dlq show',
  summary: 'print one parked message in full',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = deadLetterQueue(values.queue, usage);
    const id = required(values.id, 'id', usage);
    return withBroker(context, async (broker) => {
      const matched = await listParked(broker, [queue], { id });
      const [first] = matched;
      if (!first) throw new CliError(`no message with id ${id} in ${queue}`);
      if (values.json) {
        const properties = { headers: first.headers, ...first.properties };
        context.stdout.write(`${JSON.stringify({ summary: summaryOf(first), properties, body: first.body }, null, 2)}\n`);
      } else {
        context.stdout.write(render(first));
        if (matched.length > 1) context.stdout.write(`\n(${matched.length} copies of this message are parked in ${queue}; showing the first)\n`);
      }
      return 0;
    });
  },
};
