/** Where a command writes: process.stdout/stderr in the real tool, a string buffer in tests. */
export interface Output {
  write(chunk: string): unknown;
}

/** Everything a command may touch of its process: environment and output streams. */
export interface RunContext {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
}

/** One `warren <group> <name>` command. */
export interface Command {
  /** `dlq list`, `outbox status`… */
  name: string;
  /** One line for the overall usage. */
  summary: string;
  /** The command's own usage text (`warren <command> --help`). */
  usage: string;
  /** Parses `args` (what follows the command name) and runs; resolves with the exit code. */
  run(args: string[], context: RunContext): Promise<number>;
}
