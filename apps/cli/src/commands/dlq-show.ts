import { jsonBody, plain, withParkedMessages, type HeldMessage, type ParkedMessage } from '@warren/operations';
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

function bodyText(message: HeldMessage): string {
  const parsed = jsonBody(message);
  return parsed ? JSON.stringify(parsed, null, 2) : message.content.toString('utf8');
}

function render({ message, summary }: ParkedMessage): string {
  const { headers, ...properties } = message.properties;
  return [
    `Message ${summary.id ?? '(no id)'} in ${summary.deadLetterQueue}\n`,
    keyValues([
      ['failed in', summary.queue],
      ['type', summary.type ?? '-'],
      ['parked by', summary.parkedBy],
      ['error', summary.error],
      ['attempts', summary.attempts ?? '-'],
      ['failed at', summary.failedAt ?? '-'],
      ['replays', summary.replayCount],
    ]),
    '\nProperties\n',
    keyValues(
      Object.entries({
        ...properties,
        ...(properties.timestamp === undefined ? {} : { timestamp: `${properties.timestamp} (${new Date(properties.timestamp * 1000).toISOString()})` }),
        exchange: message.exchange || '(default)',
        routingKey: message.routingKey,
      }),
    ),
    '\nHeaders\n',
    Object.keys(headers).length > 0 ? keyValues(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) : '  (none)\n',
    `\nBody (${message.content.length} bytes)\n`,
    `${bodyText(message)}\n`,
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
    return withBroker(context, (broker) =>
      withParkedMessages(broker, queue, { filter: { id } }, async (matched) => {
        const [first] = matched;
        if (!first) throw new CliError(`no message with id ${id} in ${queue}`);
        if (values.json) {
          const { message, summary } = first;
          const body = jsonBody(message) ?? message.content.toString('utf8');
          context.stdout.write(`${JSON.stringify({ summary, properties: plain(message.properties), body }, null, 2)}\n`);
        } else {
          context.stdout.write(render(first));
          if (matched.length > 1) context.stdout.write(`\n(${matched.length} copies of this message are parked in ${queue}; showing the first)\n`);
        }
        return 0;
      }),
    );
  },
};
