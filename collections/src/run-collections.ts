// `npm test -w collections` (`npm run test:api`): starts the three services with authentication on
// against an in-test issuer, runs the Bruno collection with `bru run` and the Postman collection
// with `newman run` against them, and exits non-zero when either reports a failure. See ../README.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ToolSummary } from './reports.ts';
import { infrastructureFromEnv, startStack, type Stack } from './stack.ts';
import { mintTokens } from './tokens.ts';
import { runBruno, runNewman, type ToolRun } from './tools.ts';

// Generous: in `npm test` the collections share two cores with the e2e suites, and the bru CLI
// alone has needed over a minute there.
const toolTimeoutMs = 180_000;
const overallTimeoutMs = 420_000;

const began = performance.now();
const log = (message: string): void => {
  process.stderr.write(`[collections ${((performance.now() - began) / 1_000).toFixed(1).padStart(5)} s] ${message}\n`);
};

let stack: Stack | undefined;
let workDir: string | undefined;

async function cleanUp(): Promise<void> {
  const failures = (await stack?.close()) ?? [];
  for (const failure of failures) log(`cleanup failed: ${failure}`);
  if (workDir) await rm(workDir, { recursive: true, force: true });
}

function describe({ tool, requests, skipped, assertions, failures }: ToolSummary, seconds: number): string {
  return `${tool}: ${requests} requests, ${skipped} skipped, ${assertions} assertions, ${failures.length} failed (${seconds.toFixed(1)} s)`;
}

/** Problems with a run beyond its failed assertions: a skipped request means a variable went missing. */
function verdict(summary: ToolSummary): string[] {
  const problems = [...summary.failures];
  if (summary.skipped > 0) problems.push(`${summary.tool} skipped ${summary.skipped} requests: a token or URL variable did not reach it`);
  if (summary.requests === 0) problems.push(`${summary.tool} sent no request`);
  return problems;
}

async function main(): Promise<number> {
  workDir = await mkdtemp(join(tmpdir(), 'warren-collections-'));
  stack = await startStack({ ...infrastructureFromEnv(), log });
  const variables = { ...stack.urls, ...(await mintTokens(stack.issuer)), behindProxy: 'false' };
  log('running bru run and newman run');
  const options = { variables, workDir, timeoutMs: toolTimeoutMs };
  // Both run to the end, even when one fails early, so no CLI outlives the services.
  const settled = await Promise.allSettled([runBruno(options), runNewman(options)]);
  let passed = 0;
  let failed = 0;
  for (const result of settled) {
    if (result.status === 'rejected') {
      log(`FAILED: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
      failed += 1;
      continue;
    }
    const { summary, cli }: ToolRun = result.value;
    const problems = verdict(summary);
    if (problems.length > 0) {
      process.stdout.write(`\n----- ${summary.tool} output -----\n${cli.output}\n`);
      for (const problem of problems) log(`${summary.tool} FAILED: ${problem}`);
    }
    log(describe(summary, cli.seconds));
    failed += problems.length;
    passed += Math.max(0, summary.assertions - summary.failures.length);
  }
  process.stdout.write(`collections: ${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  log(`still running after ${overallTimeoutMs / 1_000} s: giving up`);
  void cleanUp().finally(() => process.exit(1));
}, overallTimeoutMs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  clearTimeout(watchdog);
  await cleanUp();
  log(`done in ${((performance.now() - began) / 1_000).toFixed(1)} s`);
}
process.exit(exitCode);
