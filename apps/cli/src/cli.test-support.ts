import { run } from './run.ts';

export { brokerDeadLetter, declareQueues, itemCreated, park, readyIds } from '@warren/operations/testing';
export type { ParkOptions } from '@warren/operations/testing';

/** What one in-process `warren` invocation printed and returned. */
export interface WarrenResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs warren in-process with `env` (nothing inherited from the test process) and captured output. */
export async function warren(args: string[], env: NodeJS.ProcessEnv = {}): Promise<WarrenResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    env,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}
