import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What one `npm run new:service` run printed and how it exited. */
export interface GeneratorRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the copy's own generator (scripts/new-service/src/main.ts) as `npm run new:service` does. */
export async function runGenerator(root: string, args: readonly string[]): Promise<GeneratorRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--disable-warning=ExperimentalWarning', join(root, 'scripts/new-service/src/main.ts'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A hash of every file under `root` but node_modules, by relative path: equal snapshots, nothing written. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || relative(root, path).split('/').includes('node_modules')) continue;
    files.set(relative(root, path), createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return files;
}
