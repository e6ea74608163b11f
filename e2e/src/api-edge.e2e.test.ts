import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import { createTestVhost, infrastructure, startSystem, startTestIssuer, waitFor, type RunningSystem, type TestIssuer, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';

const chromiumPath = '/usr/bin/chromium';
// CI installs Chromium and sets WARREN_REQUIRE_BROWSER so a missing browser fails there.
const browserAvailable = existsSync(chromiumPath) || process.env['WARREN_REQUIRE_BROWSER'] === 'true';

/** Runs `use` on a page of a headless Chromium with no first-run or background traffic, then closes it. */
async function withBrowserPage(use: (page: Page) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await use(await browser.newPage());
  } finally {
    await browser.close();
  }
}

describe('the edges with authentication on', () => {
  let vhost: TestVhost;
  let issuer: TestIssuer;
  let system: RunningSystem;

  beforeAll(async () => {
    [vhost, issuer] = await Promise.all([createTestVhost('edge'), startTestIssuer()]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      env: { AUTH_ISSUER: issuer.issuer, NODE_ENV: 'production', DATABASE_ADMIN_URL: infrastructure().databaseUrl },
    });
  });
  afterAll(async () => {
    await system?.close();
    await Promise.all([vhost?.delete(), issuer?.close()]);
  });

  it('refuses API calls without a token and takes them with one; the event carries the caller as actor', async () => {
    const anonymous = await requestJson(system.services.catalog.baseUrl, '/api/v1/items');
    expect(anonymous.status).toBe(401);
    const token = await issuer.sign({ subject: 'alice@example', scope: 'catalog:read catalog:write', audience: 'warren-catalog' });
    const key = crypto.randomUUID();
    const created = await requestJson<{ id: string }>(system.services.catalog.baseUrl, '/api/v1/items', {
      method: 'POST',
      body: { name: 'Authored', sku: `AUTH-${key.slice(0, 8)}`, priceCents: 10 },
      headers: { authorization: `Bearer ${token}`, 'Idempotency-Key': key },
    });
    expect(created.status).toBe(201);
    const auditToken = await issuer.sign({ subject: 'auditor', scope: 'audit:read', audience: 'warren-audit' });
    const events = await waitFor(async () => {
      const response = await requestJson<{ items: Record<string, unknown>[] }>(system.services.audit.baseUrl, `/api/v1/events?subject=${created.body.id}`, {
        headers: { authorization: `Bearer ${auditToken}` },
      });
      return response.body.items.length > 0 ? response.body.items : undefined;
    }, { description: 'the audit entry' });
    expect(events[0]).toMatchObject({ type: 'item.created', actor: 'alice@example' });
  });

  it("never replays one caller's stored response to another caller using the same key", async () => {
    const key = crypto.randomUUID();
    const post = async (subject: string) =>
      requestJson<{ id: string; sku: string }>(system.services.catalog.baseUrl, '/api/v1/items', {
        method: 'POST',
        body: { name: 'Same key', sku: `KEY-${subject}-${key.slice(0, 8)}`, priceCents: 1 },
        headers: { authorization: `Bearer ${await issuer.sign({ subject, scope: 'catalog:write' })}`, 'Idempotency-Key': key },
      });
    const first = await post('alice');
    const second = await post('bob');
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
  });

  it.runIf(browserAvailable)('renders the interactive docs offline in a real browser, listing the operations', async () => {
    await withBrowserPage(async (page) => {
      const outside: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(system.services.catalog.baseUrl)) outside.push(request.url());
      });
      await page.goto(`${system.services.catalog.baseUrl}/docs`);
      await page.getByText('/api/v1/items/{id}').first().waitFor({ timeout: 15_000 });
      const text = await page.locator('body').innerText();
      expect(text).toContain('Warren catalog');
      expect(text).toContain('Create an item');
      expect(text).toContain('/api/v1/items');
      expect(outside).toEqual([]);
    });
  });

  it.runIf(browserAvailable)('renders the AsyncAPI document offline in a real browser, under its content security policy', async () => {
    await withBrowserPage(async (page) => {
      const outside: string[] = [];
      const refused: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(system.services.catalog.baseUrl)) outside.push(request.url());
      });
      const failed: string[] = [];
      // A script or style the policy blocks shows as a console error starting "Refused to".
      page.on('console', (message) => {
        if (message.type() === 'error' && message.text().startsWith('Refused')) refused.push(message.text());
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) failed.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(`${system.services.catalog.baseUrl}/asyncapi`);
      await page.getByRole('heading', { name: 'Operations' }).waitFor({ timeout: 15_000 });
      const text = await page.locator('body').innerText();
      expect(text).toContain('Messages');
      const rendered = (await page.locator('#asyncapi').textContent()) ?? '';
      expect(rendered).toContain('item.created.v1');
      expect(rendered).toContain('item.created.v2');
      expect(outside).toEqual([]);
      expect(refused).toEqual([]);
      expect(failed).toEqual([]);
    });
  });
});
