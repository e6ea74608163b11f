import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from '@warren/contracts';
import { createOfflineServiceDeps } from '@warren/service/testing';
import { createApp } from './app.ts';

describe('inventory GET /asyncapi.json', () => {
  it("serves inventory's own part of the AsyncAPI document", async () => {
    const response = await createApp(createOfflineServiceDeps('inventory')).request('/asyncapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { asyncapi: string; operations: Record<string, { action: string }> };
    expect(document).toEqual(asyncApiDocument({ service: 'inventory' }));
    expect(document.asyncapi).toBe('3.0.0');
    expect(document).not.toEqual(asyncApiDocument());
    expect(Object.keys(document.operations).every((id) => id.startsWith('inventory.'))).toBe(true);
  });
});
