import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from '@warren/contracts';
import { createOfflineServiceDeps } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('catalog GET /asyncapi.json', () => {
  it("serves catalog's own part of the AsyncAPI document", async () => {
    const response = await createApp(createOfflineServiceDeps('catalog')).request('/asyncapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string; operations: Record<string, { action: string }> };
    expect(document).toEqual(asyncApiDocument({ service: 'catalog' }));
    expect(document.asyncapi).toBe('3.0.0');
    expect(document).not.toEqual(asyncApiDocument());
    expect(Object.keys(document.operations).every((id) => id.startsWith('catalog.'))).toBe(true);
  });
});
