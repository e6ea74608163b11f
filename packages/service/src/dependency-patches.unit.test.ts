import { glob, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The patches of patches/, applied by the root `postinstall` (patch-package --error-on-fail), are
// made for one version each: every workspace must name exactly that version, so that no package
// can resolve an unpatched copy.
const require = createRequire(import.meta.url);
const repository = join(import.meta.dirname, '..', '..', '..');

/** The version range each workspace gives `dependency`, by its package.json path. */
async function rangesOf(dependency: string): Promise<Map<string, string>> {
  const ranges = new Map<string, string>();
  for await (const file of glob(['*/package.json', '*/*/package.json'], { cwd: repository, exclude: (name) => name.includes('node_modules') })) {
    const manifest = JSON.parse(await readFile(join(repository, file), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const range = manifest.dependencies?.[dependency] ?? manifest.devDependencies?.[dependency];
    if (range !== undefined) ranges.set(file, range);
  }
  return ranges;
}

async function installedVersion(root: string): Promise<string> {
  return (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

// patches/postgres+3.4.9.patch. The package does not export its package.json: go up from its
// CommonJS entry (cjs/src/index.js).
describe('the installed postgres.js', () => {
  const root = join(dirname(require.resolve('postgres')), '..', '..');

  it('is the version the patch is made for, named at exactly that version by every workspace', async () => {
    expect(await installedVersion(root)).toBe('3.4.9');
    const ranges = await rangesOf('postgres');
    expect(ranges.size).toBeGreaterThan(5);
    expect(Object.fromEntries(ranges)).toEqual(Object.fromEntries([...ranges.keys()].map((file) => [file, '3.4.9'])));
  });

  it.each(['src/connection.js', 'cjs/src/connection.js'])('carries the connection fix in %s: teardown forgets the pending write, a write without a socket rejects', async (file) => {
    const source = await readFile(join(root, file), 'utf8');
    expect(source).toContain("if (!socket) return (chunk = nextWriteTimer = null, chunkLength = 0, error(Errors.connection('CONNECTION_CLOSED', options)), false)");
    // closed() and terminate() both forget the write they cancel.
    expect(source.match(/\n {4}clearImmediate\(nextWriteTimer\)\n {4}chunk = nextWriteTimer = null\n/g)).toHaveLength(2);
  });
});

// patches/amqplib+2.3.1.patch: one socket write per pass of amqplib's frame multiplexer.
describe('the installed amqplib', () => {
  const root = dirname(require.resolve('amqplib'));

  it('is the version the patch is made for, named at exactly that version by every workspace that depends on it', async () => {
    expect(await installedVersion(root)).toBe('2.3.1');
    const ranges = await rangesOf('amqplib');
    expect(ranges.size).toBeGreaterThan(3);
    expect(Object.fromEntries(ranges)).toEqual(Object.fromEntries([...ranges.keys()].map((file) => [file, '2.3.1'])));
  });

  it('carries the corked multiplexer', async () => {
    const source = await readFile(join(root, 'lib', 'mux.js'), 'utf8');
    expect(source).toContain('this.out.cork();');
    expect(source).toContain('this.out.uncork();');
  });
});
