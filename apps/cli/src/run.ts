import { archiveReplay } from './commands/archive-replay.ts';
import { backup } from './commands/backup.ts';
import { dlqList } from './commands/dlq-list.ts';
import { dlqPurge } from './commands/dlq-purge.ts';
import { dlqRedirect } from './commands/dlq-redirect.ts';
import { dlqReplay } from './commands/dlq-replay.ts';
import { dlqShow } from './commands/dlq-show.ts';
import { outboxStatus } from './commands/outbox-status.ts';
import { recover } from './commands/recover.ts';
import { restore } from './commands/restore.ts';
import type { Command, RunContext } from './context.ts';
import { OperationsError } from '@warren/operations';
import { CliError, describeError, UsageError } from './errors.ts';

/** Every command, in the order `warren --help` lists them. */
export const commands: readonly Command[] = [dlqList, dlqShow, dlqReplay, dlqRedirect, dlqPurge, outboxStatus, archiveReplay, backup, restore, recover];

function usage(group?: string): string {
  const listed = commands.filter((command) => group === undefined || command.name.startsWith(`${group} `));
  const width = Math.max(...listed.map((command) => command.name.length));
  return [
    `Usage: warren ${group ?? '<command>'} ${group ? '<subcommand> ' : ''}[options]`,
    '',
    'Commands:',
    ...listed.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run warren <command> --help for its options. Environment: AMQP_URL, AMQP_MANAGEMENT_URL,',
    'EVENTS_EXCHANGE, <SERVICE>_DATABASE_URL (e.g. CATALOG_DATABASE_URL).',
    '',
  ].join('\n');
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/**
 * Runs one warren invocation and resolves with its exit code: 0 done, 1 failed (the reason on
 * stderr; a `CliError` or `OperationsError` as its message, anything else with its causes), 2 called wrongly (the reason and usage on stderr). Never throws.
 */
export async function run(argv: readonly string[], context: RunContext): Promise<number> {
  const [group, name, ...rest] = argv;
  try {
    if (isHelp(group)) {
      context.stdout.write(usage());
      return 0;
    }
    if (group === undefined) throw new UsageError('missing command', usage());
    // A one-word command (`recover`) takes everything after it as its arguments.
    const single = commands.find((command) => command.name === group);
    if (single) {
      const args = argv.slice(1);
      if (args.some(isHelp)) {
        context.stdout.write(single.usage);
        return 0;
      }
      return await single.run(args, context);
    }
    const groupKnown = commands.some((command) => command.name.startsWith(`${group} `));
    if (!groupKnown) throw new UsageError(`unknown command ${group}`, usage());
    if (isHelp(name)) {
      context.stdout.write(usage(group));
      return 0;
    }
    const command = commands.find((candidate) => candidate.name === `${group} ${name ?? ''}`);
    if (!command) throw new UsageError(name === undefined ? `missing ${group} subcommand` : `unknown command ${group} ${name}`, usage(group));
    if (rest.some(isHelp)) {
      context.stdout.write(command.usage);
      return 0;
    }
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr.write(`warren: ${error.message}\n\n${error.usage ?? usage()}`);
      return 2;
    }
    context.stderr.write(`warren: ${error instanceof CliError || error instanceof OperationsError ? error.message : describeError(error)}\n`);
    return 1;
  }
}
