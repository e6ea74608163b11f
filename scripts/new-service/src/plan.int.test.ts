import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilePlan } from './plan.ts';

describe('a file plan', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'warren-plan-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('puts every file back and removes the folders it made when one write fails', async () => {
    await writeFile(join(root, 'a.txt'), 'original');
    await writeFile(join(root, 'zblocker'), 'a file where a folder is needed');
    const plan = new FilePlan(root);
    await plan.edit('a.txt', () => 'changed');
    await plan.create('new/deeper/b.txt', 'new');
    await plan.create('zblocker/c.txt', 'cannot be written');
    await expect(plan.apply()).rejects.toThrow();
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('original');
    expect((await readdir(root)).sort()).toEqual(['a.txt', 'zblocker']);
  });

  it('refuses to create a file that exists, naming it', async () => {
    await writeFile(join(root, 'a.txt'), 'original');
    await expect(new FilePlan(root).create('a.txt', 'x')).rejects.toThrow('a.txt exists already');
  });
});
