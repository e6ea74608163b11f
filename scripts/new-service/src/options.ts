/** What `npm run new:service -- …` was asked to generate, before it is checked against the repository. */
export interface NewServiceOptions {
  name: string;
  /** Routing keys (`item.created.v1`) or bare types (`item.created`: its latest published version). */
  consumes: string[];
  /** The event type the service publishes; `<name>.recorded` when absent. */
  publishes: string | undefined;
  /** Print the files it would write and change, and write nothing. */
  dryRun: boolean;
  help: boolean;
}

export const usage = `usage: npm run new:service -- <name> [--consumes <routing key>...] [--publishes <event type>] [--dry-run]

  <name>         lowercase letters, digits and dashes (e.g. shipping)
  --consumes     an event it consumes, as a routing key (item.created.v1) or a type (item.created:
                 its latest published version); repeat for several; default item.created
  --publishes    the type of the event it publishes at version 1 (default <name>.recorded)
  --dry-run      list the files it would write and change, and write nothing`;

/** Thrown for a command line that cannot be understood; its message is the one line shown. */
export class UsageError extends Error {}

/** Parses the arguments after `--`; throws `UsageError` on an unknown option or a missing value. */
export function parseOptions(argv: readonly string[]): NewServiceOptions {
  const options: NewServiceOptions = { name: '', consumes: [], publishes: undefined, dryRun: false, help: false };
  const names: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const [flag, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const values = (): string[] => {
      if (inline !== undefined) return [inline];
      const taken: string[] = [];
      while (index + 1 < argv.length && !(argv[index + 1] ?? '').startsWith('-')) taken.push(argv[(index += 1)] ?? '');
      if (taken.length === 0) throw new UsageError(`${flag} needs a value`);
      return taken;
    };
    if (flag === '--consumes') options.consumes.push(...values());
    else if (flag === '--publishes') {
      const [type, ...extra] = values();
      if (extra.length > 0 || options.publishes !== undefined) throw new UsageError('--publishes takes one event type');
      options.publishes = type;
    } else if (flag === '--dry-run') options.dryRun = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else names.push(flag);
  }
  if (names.length > 1) throw new UsageError(`one service name, not ${names.length}: ${names.join(' ')}`);
  options.name = names[0] ?? '';
  return options;
}
