import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EditError } from './text-edit.ts';

/**
 * Every file the generator writes or changes, held in memory until `apply`: nothing touches the
 * repository while the plan is built, so a failure at any step leaves it as it was.
 */
export class FilePlan {
  readonly root: string;
  private readonly files = new Map<string, string>();
  private readonly originals = new Map<string, string | undefined>();

  constructor(root: string) {
    this.root = root;
  }

  /** The planned content of `path` (relative to the root), else what is on disk, else `undefined`. */
  async read(path: string): Promise<string | undefined> {
    if (this.files.has(path)) return this.files.get(path);
    if (!this.originals.has(path)) this.originals.set(path, existsSync(join(this.root, path)) ? await readFile(join(this.root, path), 'utf8') : undefined);
    return this.originals.get(path);
  }

  /** Plans a new file; throws when `path` exists already (on disk or in the plan). */
  async create(path: string, content: string): Promise<void> {
    if ((await this.read(path)) !== undefined) throw new EditError(`${path} exists already`);
    this.files.set(path, content);
  }

  /** Plans `path` with this content whether or not it exists (generated documents). */
  async put(path: string, content: string): Promise<void> {
    if ((await this.read(path)) !== content) this.files.set(path, content);
  }

  /** Plans a change of an existing file; an `EditError` from `change` is rethrown naming the file. */
  async edit(path: string, change: (text: string) => string): Promise<void> {
    const text = await this.read(path);
    if (text === undefined) throw new EditError(`${path} does not exist`);
    try {
      this.files.set(path, change(text));
    } catch (error) {
      if (error instanceof EditError) throw new EditError(`cannot edit ${path}: ${error.message}; the file has changed shape, edit the generator or the file`);
      throw error;
    }
  }

  /** The planned files, new and changed, by relative path. */
  entries(): [path: string, content: string][] {
    return [...this.files.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  isNew(path: string): boolean {
    return this.originals.get(path) === undefined;
  }

  /**
   * Writes every planned file. When one write fails, every file already written is put back (or
   * removed, with the folders made for it) before the error is rethrown.
   */
  async apply(): Promise<void> {
    const written: string[] = [];
    const madeFolders: string[] = [];
    try {
      for (const [path, content] of this.entries()) {
        const absolute = join(this.root, path);
        for (let folder = dirname(absolute); !existsSync(folder); folder = dirname(folder)) madeFolders.push(folder);
        await mkdir(dirname(absolute), { recursive: true });
        written.push(path);
        await writeFile(absolute, content);
      }
    } catch (error) {
      for (const path of written.reverse()) {
        const original = this.originals.get(path);
        if (original === undefined) await rm(join(this.root, path), { force: true });
        else await writeFile(join(this.root, path), original);
      }
      for (const folder of [...new Set(madeFolders)].sort((a, b) => b.length - a.length)) await rmdir(folder).catch(() => {});
      throw error;
    }
  }
}
