import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '@warren/telemetry';
import { createEdge } from './edge.ts';
import { parseJsonBody, parseParams, parseQuery } from './validation.ts';

const itemSchema = z.object({
  name: z.string().min(1),
  price: z.object({ cents: z.number().int().nonnegative() }),
  tags: z.array(z.string()),
});

function buildApp() {
  const app = createEdge({ service: 'validation-test', version: '0.0.0', logger: createLogger({ service: 'validation-test', level: 'silent' }) });
  app.post('/items', async (c) => c.json(await parseJsonBody(c, itemSchema), 201));
  app.get('/items', (c) => c.json(parseQuery(c, z.object({ limit: z.coerce.number().int().max(100) }))));
  app.get('/items/:id', (c) => c.json(parseParams(c, z.object({ id: z.uuid() }))));
  return app;
}

interface ValidationProblem {
  errors: { path: string; message: string }[];
}

const readProblem = async (response: Response) => (await response.json()) as ValidationProblem;

const post = (body: string, contentType = 'application/json') =>
  buildApp().request('/items', { method: 'POST', body, headers: { 'content-type': contentType } });

describe('request validation', () => {
  it('returns the parsed body when it matches the schema', async () => {
    const response = await post(JSON.stringify({ name: 'Lamp', price: { cents: 1299 }, tags: ['home'], extra: true }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'Lamp', price: { cents: 1299 }, tags: ['home'] });
  });

  it('lists every failing field path in a 400 validation problem', async () => {
    const response = await post(JSON.stringify({ name: '', price: { cents: -1 }, tags: ['ok', 7] }));
    expect(response.status).toBe(400);
    const problem = await readProblem(response);
    expect(problem).toMatchObject({ type: 'urn:warren:problem:validation_failed', status: 400, instance: '/items' });
    expect(problem.errors.map((error) => error.path).sort()).toEqual(['name', 'price.cents', 'tags.1']);
    for (const error of problem.errors) expect(typeof error.message).toBe('string');
  });

  it('accepts a JSON content type with parameters or a +json suffix', async () => {
    const body = JSON.stringify({ name: 'Lamp', price: { cents: 1 }, tags: [] });
    expect((await post(body, 'application/json; charset=utf-8')).status).toBe(201);
    expect((await post(body, 'application/merge-patch+json')).status).toBe(201);
  });

  it('answers 415 when the body is not declared as JSON', async () => {
    const response = await post('name=Lamp', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:unsupported_media_type', status: 415 });
  });

  it('answers 400 when the body is not valid JSON', async () => {
    const response = await post('{"name": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'urn:warren:problem:validation_failed', errors: [{ path: '' }] });
  });

  it('validates query strings and path parameters', async () => {
    const app = buildApp();
    expect(await (await app.request('/items?limit=20')).json()).toEqual({ limit: 20 });
    const badQuery = await app.request('/items?limit=500');
    expect(badQuery.status).toBe(400);
    expect((await readProblem(badQuery)).errors[0]?.path).toBe('limit');
    const badParam = await app.request('/items/not-a-uuid');
    expect(badParam.status).toBe(400);
    expect((await readProblem(badParam)).errors[0]?.path).toBe('id');
  });
});
