import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { FilePlan } from './plan.ts';

const run = promisify(execFile);

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Makes the files that tools derive from the planned sources, without touching the repository:
 * contracts/ and the new app are copied with the plan applied into a staging folder inside the
 * root (so `node_modules` resolves as usual), where contracts' generate and release scripts and
 * drizzle-kit run; what they wrote is added to the plan and the staging folder removed.
 */
export async function planDerivedFiles(plan: FilePlan, service: string): Promise<void> {
  const staging = await mkdtemp(join(plan.root, '.new-service-'));
  try {
    await cp(join(plan.root, 'contracts'), join(staging, 'contracts'), { recursive: true, filter: (source) => !source.includes('node_modules') });
    for (const [path, content] of plan.entries()) {
      if (!path.startsWith('contracts/') && !path.startsWith(`apps/${service}/`)) continue;
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), content);
    }
    const node = process.execPath;
    const options = { cwd: join(staging, 'contracts'), env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' } };
    await run(node, ['scripts/generate.ts'], options);
    await run(node, ['scripts/release.ts'], options);
    for (const folder of ['contracts/generated', 'contracts/released']) {
      for (const file of await filesUnder(join(staging, folder))) await plan.put(relative(staging, file), await readFile(file, 'utf8'));
    }
    const drizzleKit = join(plan.root, 'node_modules/drizzle-kit/bin.cjs');
    await run(node, [drizzleKit, 'generate', '--name', 'init'], { cwd: join(staging, 'apps', service), env: process.env });
    for (const file of await filesUnder(join(staging, 'apps', service, 'src/db/migrations'))) await plan.create(relative(staging, file), await readFile(file, 'utf8'));
  } catch (error) {
    const output = (error as { stderr?: string; stdout?: string }).stderr || (error as { stdout?: string }).stdout;
    throw new Error(`cannot derive the generated files${output ? `: ${output.trim().split('\n').slice(-5).join(' | ')}` : ''}`, { cause: error });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
