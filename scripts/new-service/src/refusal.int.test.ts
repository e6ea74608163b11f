import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepository, type RepoCopy } from './repo-copy.test-support.ts';
import { runGenerator, snapshot } from './run-generator.test-support.ts';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Each refusal runs the real command in a copy of the repository and then finds every file of
// the copy exactly as it was.
describe('npm run new:service refuses', () => {
  let copy: RepoCopy;
  let before: Map<string, string>;

  beforeAll(async () => {
    copy = await copyRepository(repositoryRoot);
    before = await snapshot(copy.root);
  });
  afterAll(() => copy.remove());

  it.each([
    [['inventory'], 'new:service: "inventory" is taken: apps/inventory exists'],
    [['cli'], 'new:service: "cli" is not a valid service name: it is reserved'],
    [['e2e'], 'new:service: "e2e" is not a valid service name: it is reserved'],
    [['Shipping'], 'new:service: "Shipping" is not a valid service name: use lowercase letters, digits and single dashes, starting with a letter'],
    [['ship_ping'], 'new:service: "ship_ping" is not a valid service name: use lowercase letters, digits and single dashes, starting with a letter'],
    [[], 'new:service: a service name is required'],
    [['shipping', '--consumes', 'parcel.lost.v1'], 'new:service: cannot consume parcel.lost.v1: @warren/contracts defines no such event'],
    [['shipping', '--publishes', 'item.created'], 'new:service: cannot publish item.created: @warren/contracts defines it already'],
    [['shipping', '--publishes', 'Shipped'], 'new:service: "Shipped" is not a valid event type'],
    [['shipping', '--force'], 'new:service: unknown option --force'],
  ])('%j with one line on stderr and a non-zero exit, writing nothing', async (args, message) => {
    const { code, stdout, stderr } = await runGenerator(copy.root, args);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(await snapshot(copy.root)).toEqual(before);
  });

  it('and leaves nothing half-written when a file it must change has lost its shape', async () => {
    const lock = join(copy.root, 'package-lock.json');
    await writeFile(lock, '{ "name": "warren", "lockfileVersion": 1 }\n');
    const changed = await snapshot(copy.root);
    const { code, stderr } = await runGenerator(copy.root, ['shipping']);
    expect(code).toBe(1);
    expect(stderr).toContain('new:service: nothing was written: cannot edit package-lock.json: no "packages"');
    expect(await snapshot(copy.root)).toEqual(changed);
  });
});
