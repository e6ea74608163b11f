import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throw-away copy of the repository's tracked files that shares this checkout's installed packages. */
export interface RepoCopy {
  root: string;
  remove(): Promise<void>;
}

/**
 * Copies the files git tracks (and the uncommitted ones it would track) into a temporary folder
 * made a git repository with them committed, then builds its node_modules from links: every installed package links to this checkout's copy,
 * except the @warren workspaces, which link to the copy's own folders, so code in the copy
 * resolves the copy's contracts and packages, and nothing is installed.
 */
export async function copyRepository(source: string): Promise<RepoCopy> {
  const root = await mkdtemp(join(tmpdir(), 'warren-new-service-'));
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: source, maxBuffer: 64 * 1024 * 1024 });
  for (const path of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(join(source, path))) continue;
    await mkdir(dirname(join(root, path)), { recursive: true });
    await copyFile(join(source, path), join(root, path));
  }
  // A repository of its own: some static checks ask git which files would be committed.
  await run('git', ['init', '--quiet'], { cwd: root });
  await run('git', ['add', '--all'], { cwd: root });
  await run('git', ['-c', 'user.name=warren', '-c', 'user.email=warren@localhost', 'commit', '--quiet', '--no-verify', '-m', 'copy'], { cwd: root });
  await linkNodeModules(join(source, 'node_modules'), join(root, 'node_modules'));
  for (const nested of ['infra/node_modules']) {
    if (existsSync(join(source, nested))) await linkNodeModules(join(source, nested), join(root, nested));
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

async function linkNodeModules(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from)) {
    if (entry === '@warren') continue;
    await symlink(join(from, entry), join(to, entry));
  }
  const workspaces = join(from, '@warren');
  if (!existsSync(workspaces)) return;
  await mkdir(join(to, '@warren'));
  // The same relative links npm makes (../../packages/http): they resolve inside the copy.
  for (const entry of await readdir(workspaces)) await symlink(await readlink(join(workspaces, entry)), join(to, '@warren', entry));
}
