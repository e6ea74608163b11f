import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeBruno, summarizeNewman, type ToolSummary } from './reports.ts';
import { binOf, runCli, type CliRun } from './run-cli.ts';

const collectionsDir = fileURLToPath(new URL('..', import.meta.url));

export interface ToolRun {
  summary: ToolSummary;
  cli: CliRun;
}

export interface ToolOptions {
  /** Environment variables of the collection, overriding the environment file's. */
  variables: Record<string, string>;
  /** Folder for the JSON report. */
  workDir: string;
  timeoutMs: number;
}

function envVarArgs(variables: Record<string, string>): string[] {
  return Object.entries(variables).flatMap(([name, value]) => ['--env-var', `${name}=${value}`]);
}

async function readReport(path: string, cli: CliRun, tool: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    const why = cli.timedOut ? 'it timed out' : `it exited with ${cli.exitCode}`;
    throw new Error(`${tool} wrote no readable report (${why}):\n${cli.output}`, { cause: error });
  }
}

/** A failure the report does not show (a crash, a timeout) still fails the tool. */
function withExit(summary: ToolSummary, cli: CliRun): ToolSummary {
  const failures = [...summary.failures];
  if (cli.timedOut) failures.push(`${summary.tool} timed out`);
  else if (cli.exitCode !== 0 && failures.length === 0) failures.push(`${summary.tool} exited with ${cli.exitCode}`);
  return { ...summary, failures };
}

/** `bru run --env local` in collections/bruno with the variables as `--env-var` overrides. */
export async function runBruno({ variables, workDir, timeoutMs }: ToolOptions): Promise<ToolRun> {
  const report = join(workDir, 'bruno.json');
  const args = ['run', '--env', 'local', ...envVarArgs(variables), '--noproxy', '--reporter-json', report];
  const cli = await runCli(binOf('@usebruno/cli', 'bru'), args, { cwd: join(collectionsDir, 'bruno'), timeoutMs });
  return { summary: withExit(summarizeBruno(await readReport(report, cli, 'bru run')), cli), cli };
}

/** `newman run` of the Postman collection with the local environment and the same overrides. */
export async function runNewman({ variables, workDir, timeoutMs }: ToolOptions): Promise<ToolRun> {
  const report = join(workDir, 'newman.json');
  const args = [
    'run',
    'postman/warren.postman_collection.json',
    '--environment',
    'postman/local.postman_environment.json',
    ...envVarArgs(variables),
    '--reporters',
    'cli,json',
    '--reporter-json-export',
    report,
    '--color',
    'off',
  ];
  const cli = await runCli(binOf('newman', 'newman'), args, { cwd: collectionsDir, timeoutMs });
  return { summary: withExit(summarizeNewman(await readReport(report, cli, 'newman run')), cli), cli };
}
