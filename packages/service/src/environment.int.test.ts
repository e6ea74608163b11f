import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeEnvironment, serviceOfFolder } from './environment.ts';

const run = promisify(execFile);
const register = fileURLToPath(new URL('./register.ts', import.meta.url));

describe('the environment every entry point completes', () => {
  let folder: string;
  let appFile: string;
  let rootFile: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'warren-env-'));
    appFile = join(folder, 'app.env');
    rootFile = join(folder, 'root.env');
    await writeFile(appFile, 'PORT=4001\nLOG_LEVEL=debug\n');
    await writeFile(rootFile, 'PORT=5000\nLOG_LEVEL=warn\nAMQP_URL=amqp://broker.example\nCATALOG_RATE_LIMIT_PER_MINUTE=7\n# a comment\n');
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('lets the environment win over every file, and the first file over the next', () => {
    const env: NodeJS.ProcessEnv = { LOG_LEVEL: 'error' };
    const read = completeEnvironment({ env, files: [appFile, rootFile, join(folder, 'missing.env')] });
    expect(read).toEqual([appFile, rootFile]);
    expect(env).toMatchObject({ LOG_LEVEL: 'error', PORT: '4001', AMQP_URL: 'amqp://broker.example' });
  });

  it("gives a service's prefixed variables precedence over the plain ones, and only to that service", () => {
    const catalog: NodeJS.ProcessEnv = { RATE_LIMIT_PER_MINUTE: '600', CATALOG_PORT: '4101' };
    completeEnvironment({ env: catalog, service: 'catalog', files: [rootFile] });
    expect(catalog).toMatchObject({ RATE_LIMIT_PER_MINUTE: '7', PORT: '4101' });
    const audit: NodeJS.ProcessEnv = { RATE_LIMIT_PER_MINUTE: '600' };
    completeEnvironment({ env: audit, service: 'audit', files: [rootFile] });
    expect(audit).toMatchObject({ RATE_LIMIT_PER_MINUTE: '600', PORT: '5000' });
  });

  it('reads no file when WARREN_DOTENV=false', () => {
    const env: NodeJS.ProcessEnv = { WARREN_DOTENV: 'false' };
    expect(completeEnvironment({ env, files: [appFile] })).toEqual([]);
    expect(env['PORT']).toBeUndefined();
  });

  it('knows the service from the package folder a process starts in', async () => {
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name: '@warren/order-history' }));
    expect(serviceOfFolder(folder)).toBe('order-history');
    expect(serviceOfFolder(tmpdir())).toBeUndefined();
  });

  it("is what the services' preload does: the folder's .env, then the prefixed variables, before any code runs", async () => {
    const service = await mkdtemp(join(tmpdir(), 'warren-service-'));
    try {
      await writeFile(join(service, 'package.json'), JSON.stringify({ name: '@warren/demo' }));
      await writeFile(join(service, '.env'), 'RATE_LIMIT_PER_MINUTE=11\nDEMO_LOG_LEVEL=debug\nHOST=127.0.0.2\n');
      const { stdout } = await run(
        process.execPath,
        ['--import', register, '-e', 'const e = process.env; console.log(JSON.stringify([e.RATE_LIMIT_PER_MINUTE, e.LOG_LEVEL, e.HOST]))'],
        { cwd: service, env: { ...process.env, WARREN_DOTENV: 'true', HOST: '127.0.0.3', LOG_LEVEL: 'info' } },
      );
      expect(JSON.parse(stdout)).toEqual(['11', 'debug', '127.0.0.3']);
    } finally {
      await rm(service, { recursive: true, force: true });
    }
  });
});
