import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVhost, infrastructure, waitFor, type RunningSystem, type SystemOptions, type TestVhost } from '@warren/testing';
import { copyRepository, type RepoCopy } from './repo-copy.test-support.ts';
import { runGenerator } from './run-generator.test-support.ts';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a workspace's own tool in the copy; resolves with its output, rejects with it. */
async function inCopy(copy: RepoCopy, workspace: string, command: string, args: readonly string[]): Promise<string> {
  try {
    const executable = command === 'node' ? process.execPath : join(copy.root, 'node_modules/.bin', command);
    const { stdout, stderr } = await run(executable, args, {
      cwd: join(copy.root, workspace),
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      maxBuffer: 32 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} in ${workspace} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`.slice(-6_000), { cause: error });
  }
}

// The acceptance test: generate a service into a copy of the repository, run the checks
// `npm test` would run on it there, then start it beside the other services and see one event
// flow through it each way.
describe('npm run new:service -- shipping, in a copy of the repository', () => {
  let copy: RepoCopy;

  beforeAll(async () => {
    copy = await copyRepository(repositoryRoot);
    const generated = await runGenerator(copy.root, ['shipping']);
    expect(generated, generated.stderr).toMatchObject({ code: 0, stderr: '' });
  });
  afterAll(() => copy?.remove());

  it('generates a service that passes its own tests, typecheck and lint', async () => {
    expect(await inCopy(copy, 'apps/shipping', 'vitest', ['run'])).toMatch(/Test Files\s+5 passed/);
    await inCopy(copy, 'apps/shipping', 'tsc', ['-p', 'tsconfig.json']);
    await inCopy(copy, 'apps/shipping', 'eslint', ['.']);
  }, 120_000);

  it('leaves the contracts tests passing: generated documents current, its event released', async () => {
    expect(await inCopy(copy, 'contracts', 'vitest', ['run'])).toMatch(/Tests\s+\d+ passed/);
  }, 60_000);

  it('leaves the static infra checks and the typecheck of the tools that know every service passing', async () => {
    expect(await inCopy(copy, 'infra', 'vitest', ['run', '--exclude', 'test/**/*.int.test.ts'])).toMatch(/Tests\s+\d+ passed/);
    for (const workspace of ['infra', 'collections', 'packages/testing', 'e2e']) await inCopy(copy, workspace, 'tsc', ['-p', 'tsconfig.json']);
  }, 120_000);

  it('runs the Bruno and Postman collections, its folder included, against every service with authentication on', async () => {
    const output = await inCopy(copy, 'collections', 'node', ['--disable-warning=ExperimentalWarning', 'src/run-collections.ts']);
    expect(output).toMatch(/bruno: \d+ requests, 0 skipped, \d+ assertions, 0 failed/);
    expect(output).toMatch(/newman: \d+ requests, 0 skipped, \d+ assertions, 0 failed/);
  }, 180_000);

  describe('started beside the others', () => {
    let vhost: TestVhost;
    let system: RunningSystem;

    beforeAll(async () => {
      vhost = await createTestVhost('new-service');
      // The copy's own startSystem: its serviceNames now include shipping, and it starts the copy's apps.
      const testing = (await import(pathToFileURL(join(copy.root, 'packages/testing/src/system.ts')).href)) as { startSystem(options: SystemOptions): Promise<RunningSystem> };
      system = await testing.startSystem({ adminUrl: infrastructure().databaseUrl, amqpUrl: vhost.url });
    }, 120_000);
    afterAll(async () => {
      await system?.close();
      await vhost?.delete();
    });

    const service = (name: string) => (system.services as unknown as Record<string, { baseUrl: string }>)[name]?.baseUrl ?? '';

    it('carries a POST to its route as shipping.recorded into audit’s event log', async () => {
      const requestId = `new-service-${crypto.randomUUID()}`;
      const response = await fetch(`${service('shipping')}/api/v1/entries`, {
        method: 'POST',
        body: JSON.stringify({ note: 'first parcel' }),
        headers: { 'content-type': 'application/json', 'idempotency-key': requestId, 'x-request-id': requestId },
      });
      expect(response.status).toBe(201);
      const entry = (await response.json()) as { id: string };
      const logged = await waitFor(
        async () => {
          const page = (await (await fetch(`${service('audit')}/api/v1/events?correlation_id=${requestId}`)).json()) as { items: { type: string; subject: string; source_service: string }[] };
          return page.items.length > 0 ? page.items : undefined;
        },
        { description: 'shipping.recorded in audit' },
      );
      expect(logged).toEqual([expect.objectContaining({ type: 'shipping.recorded', subject: entry.id, source_service: 'shipping' })]);
    });

    it('applies an item.created from catalog through its consumer', async () => {
      const requestId = `new-service-${crypto.randomUUID()}`;
      const response = await fetch(`${service('catalog')}/api/v1/items`, {
        method: 'POST',
        body: JSON.stringify({ name: 'Parcel box', sku: `BOX-${requestId.slice(-8)}`, priceCents: 150 }),
        headers: { 'content-type': 'application/json', 'idempotency-key': requestId, 'x-request-id': requestId },
      });
      expect(response.status).toBe(201);
      const item = (await response.json()) as { id: string };
      const sql = postgres(system.databaseUrl('shipping' as never), { max: 1, onnotice: () => {} });
      try {
        const applied = await waitFor(
          async () => {
            const rows = await sql<{ type: string; source_service: string }[]>`select type, source_service from received_events where subject = ${item.id}`;
            return rows.length > 0 ? rows : undefined;
          },
          { description: 'item.created applied by shipping' },
        );
        expect(applied).toEqual([{ type: 'item.created', source_service: 'catalog' }]);
      } finally {
        await sql.end();
      }
    });
  });
});
