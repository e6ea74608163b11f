import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVhost, type TestVhost } from '@warren/testing';
import { declareQueues, itemCreated, park, readyIds, type WarrenResult } from './cli.test-support.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Runs the real `warren` process as `npm run warren --` does, with `env` on top of PATH only. */
function spawnWarren(args: string[], env: NodeJS.ProcessEnv = {}): Promise<WarrenResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', main, ...args], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the warren process', () => {
  let vhost: TestVhost;
  const parked = itemCreated('corr-process');

  beforeAll(async () => {
    vhost = await createTestVhost('cli-main');
    await declareQueues(vhost, [{ queue: 'inventory.item-created', deliveryLimit: 20 }]);
    await park(vhost, parked, { queue: 'inventory.item-created', error: { type: 'Error', message: 'database timeout' }, attempt: 3, failedAt: new Date() });
  });
  afterAll(() => vhost.delete());

  it('prints usage for --help and exits 0', async () => {
    const result = await spawnWarren(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('archive replay');
  });

  it('exits 2 with usage on an unknown option', async () => {
    const result = await spawnWarren(['outbox', 'status', '--servce', 'catalog']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--servce'");
    expect(result.stderr).toContain('Usage: warren outbox status');
  });

  it('lists a parked message as JSON, exits 0 and leaves it parked', async () => {
    const result = await spawnWarren(['dlq', 'list', '--queue', 'inventory.item-created.dlq', '--json'], { AMQP_URL: vhost.url });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ id: parked.envelope.id, queue: 'inventory.item-created', attempts: 3 })]);
    expect(await readyIds(vhost, 'inventory.item-created.dlq')).toEqual([parked.envelope.id]);
  });

  it('exits 1 for a queue that does not exist', async () => {
    const result = await spawnWarren(['dlq', 'replay', '--queue', 'nobody.here.dlq'], { AMQP_URL: vhost.url });
    expect(result).toEqual({ code: 1, stdout: '', stderr: `warren: queue nobody.here.dlq does not exist in vhost ${vhost.name}\n` });
  });
});
