import { describe, expect, it } from 'vitest';
import { createLogger } from '@warren/telemetry';
import { createEdge } from './edge.ts';
import type { HttpObserver } from './metrics.ts';

type Observation = Parameters<HttpObserver['request']>[0];

function observedEdge() {
  const observations: Observation[] = [];
  const app = createEdge({
    service: 'metrics-test',
    version: 't',
    logger: createLogger({ service: 'metrics-test', level: 'silent' }),
    metrics: { observer: { request: (observation) => observations.push(observation) }, exposition: { contentType: 'text/plain', render: async () => '' } },
  });
  app.get('/api/v1/things/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/api/v1/things', (c) => c.json({}, 201));
  return { app, observations };
}

describe('httpMetrics', () => {
  it('reports each request under its route template, method and status, and unknown paths as unmatched', async () => {
    const { app, observations } = observedEdge();
    await app.request('/api/v1/things/42');
    await app.request('/api/v1/things', { method: 'POST' });
    await app.request('/api/v1/nothing-here');
    await app.request('/api/v1/things/42', { method: 'DELETE' });
    expect(observations.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'GET', route: '/api/v1/things/:id', status: 200 },
      { method: 'POST', route: '/api/v1/things', status: 201 },
      { method: 'GET', route: 'unmatched', status: 404 },
      { method: 'DELETE', route: 'unmatched', status: 405 },
    ]);
    for (const observation of observations) {
      expect(observation.seconds).toBeGreaterThan(0);
      // No span is active without the OpenTelemetry SDK: no exemplar to attach.
      expect('traceId' in observation).toBe(false);
    }
  });
});
