import { inFlight, replayHeader, replayProperties, withParkedMessages, type Broker, type ParkedMessage } from '@warren/operations';
import type { Command, RunContext } from '../context.ts';
import { describeError } from '../errors.ts';
import { deadLetterQueue, parseOptions, positiveInteger } from '../options.ts';
import { withBroker } from '../sessions.ts';

const usage = `Usage: warren dlq replay --queue Q [--id ID] [--type T] [--error TEXT] [--limit N] [--dry-run]

Moves matching parked messages back to the queue they failed in (x-warren-queue, else
x-first-death-queue, else Q without .dlq) with the same message id and properties, a fresh retry
budget (x-warren-attempt 1) and x-warren-replay-count + 1. Each copy is confirmed by the broker
before the parked one is acked; a replay is safe to repeat (inboxes drop duplicates).
  --queue Q      the dead-letter queue (<service>.<handler>.dlq)
  --id ID        only this message id
  --type T       only this event type (item.created) or routing key (item.created.v1)
  --error TEXT   only messages whose error contains TEXT (case-insensitive)
  --limit N      at most N messages
  --dry-run      list what would move; change nothing
`;

const options = {
  queue: { type: 'string' },
  id: { type: 'string' },
  type: { type: 'string' },
  error: { type: 'string' },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

function line({ summary }: ParkedMessage): string {
  return `${summary.id ?? '(no id)'}  ${summary.type ?? '-'}  ${summary.deadLetterQueue} -> ${summary.queue}`;
}

async function checkTargets(broker: Broker, matched: readonly ParkedMessage[]): Promise<void> {
  for (const target of new Set(matched.map((m) => m.summary.queue))) await broker.checkQueue(target);
}

/** `warren dlq replay`: exit 0 when every match moved (also when nothing matched), 1 when any could not. */
export const dlqReplay: Command = {
  name: 'dlq replay',
  summary: 'move parked messages back to the queue they failed in',
  usage,
  async run(args: string[], context: RunContext): Promise<number> {
    const values = parseOptions(args, options, usage);
    const queue = deadLetterQueue(values.queue, usage);
    const limit = positiveInteger(values.limit, 'limit', usage);
    const filter = { id: values.id, type: values.type, error: values.error };
    const out = context.stdout;
    return withBroker(context, (broker) =>
      withParkedMessages(broker, queue, { filter, limit }, async (matched, browser) => {
        // Every destination must exist before anything moves, so a bad header cannot half-replay.
        await checkTargets(broker, matched);
        if (values['dry-run']) {
          for (const parked of matched) out.write(`would replay  ${line(parked)}\n`);
          out.write(`dry run: ${matched.length} message(s) would be replayed from ${queue}; nothing changed\n`);
          return 0;
        }
        const window = inFlight(100);
        const failures: string[] = [];
        let moved = 0;
        const now = new Date();
        for (const parked of matched) {
          await window.add(async () => {
            const { message, summary } = parked;
            try {
              const properties = replayProperties(message.properties, now);
              await broker.publishToQueue(summary.queue, message.content, properties);
              browser.remove(message);
              moved += 1;
              out.write(`replayed  ${line(parked)}  (replay ${String(properties.headers[replayHeader.count])})\n`);
            } catch (error) {
              failures.push(`could not replay ${summary.id ?? '(no id)'} to ${summary.queue}: ${describeError(error)}`);
            }
          });
        }
        await window.drain();
        for (const failure of failures) context.stderr.write(`warren: ${failure}\n`);
        out.write(`replayed ${moved} of ${matched.length} matching message(s) from ${queue}\n`);
        return failures.length === 0 ? 0 : 1;
      }),
    );
  },
};
