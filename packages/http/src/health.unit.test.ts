import { describe, expect, it } from 'vitest';
import { healthRoutes } from './health.ts';

interface ReadyBody {
  status: string;
  dependencies: Record<string, { status: string; latency_ms?: number; error?: string }>;
}

const readBody = async (response: Response) => (await response.json()) as ReadyBody;

describe('healthRoutes', () => {
  it('answers /health while the process is up', async () => {
    const app = healthRoutes({ service: 'svc', version: '1.0.0', checks: { database: () => Promise.reject(new Error('down')) } });
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ service: 'svc', status: 'ok', version: '1.0.0', dependencies: {} });
  });

  it('is ready when every check passes', async () => {
    const app = healthRoutes({ service: 'svc', version: '1.0.0', checks: { database: async () => {}, broker: async () => {} } });
    const response = await app.request('/ready');
    expect(response.status).toBe(200);
    const body = await readBody(response);
    expect(body).toMatchObject({ service: 'svc', status: 'ready', version: '1.0.0' });
    expect(Object.keys(body.dependencies).sort()).toEqual(['broker', 'database']);
    expect(body.dependencies['database']).toEqual({ status: 'up', latency_ms: expect.any(Number) });
  });

  it('is not ready, with the failing dependency and its error, when a check fails', async () => {
    const app = healthRoutes({
      service: 'svc',
      version: '1.0.0',
      checks: { database: async () => {}, broker: () => Promise.reject(new Error('connection refused')) },
    });
    const response = await app.request('/ready');
    expect(response.status).toBe(503);
    const body = await readBody(response);
    expect(body.status).toBe('not_ready');
    expect(body.dependencies['database']?.status).toBe('up');
    expect(body.dependencies['broker']).toMatchObject({ status: 'down', error: 'connection refused' });
  });

  it('counts a check that never settles as down after its timeout', async () => {
    const app = healthRoutes({ service: 'svc', version: '1.0.0', timeoutMs: 20, checks: { hung: () => new Promise<void>(() => {}) } });
    const response = await app.request('/ready');
    expect(response.status).toBe(503);
    expect((await readBody(response)).dependencies['hung']).toMatchObject({ status: 'down', error: 'timed out after 20 ms' });
  });
});
