import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createEnvelope, eventProperties, failureHeader } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { itemCreatedV1 } from '@warren/contracts';
import { createTestVhost, infrastructure, startSystem, startTestIssuer, waitFor, type RunningSystem, type TestIssuer, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';
import { browserAvailable, launchBrowser, loggedIn as loggedInTo, screenshotsFolder, seriousViolations } from './support/console-browser.ts';

function validItem() {
  const itemId = crypto.randomUUID();
  const envelope = createEnvelope({
    definition: itemCreatedV1,
    sourceService: 'catalog',
    subject: itemId,
    data: { id: itemId, name: 'Parked lamp', sku: `PARK-${itemId.slice(0, 8)}`, priceCents: 100, createdAt: new Date().toISOString() },
  });
  return { envelope, itemId };
}

describe.skipIf(!browserAvailable)('the console in a browser', () => {
  let vhost: TestVhost;
  let issuer: TestIssuer;
  let system: RunningSystem;
  let browser: Browser;
  const parkedItems: string[] = [];
  const invalidItems: string[] = [];
  let consoleUrl: string;
  let shots: string;

  /** A fresh browser context logged in through the issuer as `subject` with `scope`. */
  const loggedIn = (subject: string, scope: string, width = 1280): Promise<Page> => loggedInTo(browser, issuer, consoleUrl, subject, scope, width);

  beforeAll(async () => {
    shots = screenshotsFolder();
    [vhost, issuer] = await Promise.all([createTestVhost('console-e2e'), startTestIssuer()]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      env: { AUTH_ISSUER: issuer.issuer },
      serviceEnv: { console: { CONSOLE_INDEX_INTERVAL_MS: '1000', CONSOLE_RETRY_WINDOW_MS: '3000', CONSOLE_ALLOW_EDIT: 'true' } },
    });
    consoleUrl = system.services.console.baseUrl;
    // Data of the wrong type, and data missing a required field, straight to the exchange: the consumers park them.
    const eventHeaders = (correlationId: string) => ({
      correlation_id: correlationId,
      source_service: 'catalog',
      idempotency_key: correlationId,
      traceparent: `00-${crypto.randomUUID().replaceAll('-', '')}-${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}-01`,
    });
    for (let index = 0; index < 3; index += 1) {
      const { envelope, itemId } = validItem();
      invalidItems.push(itemId);
      const invalid = { ...envelope, data: { ...envelope.data, priceCents: 'free' } };
      await publishRaw(vhost.url, 'events', 'item.created.v1', JSON.stringify(invalid), eventProperties({ envelope, routingKey: 'item.created.v1', headers: eventHeaders(`bad-${index}`) }));
    }
    for (let index = 0; index < 2; index += 1) {
      const { envelope } = validItem();
      const { sku: _sku, ...data } = envelope.data;
      await publishRaw(vhost.url, 'events', 'item.created.v1', JSON.stringify({ ...envelope, data }), eventProperties({ envelope, routingKey: 'item.created.v1', headers: eventHeaders(`nosku-${index}`) }));
    }
    // Valid events inventory gave up on after a transient failure (as after a long database outage).
    for (let index = 0; index < 2; index += 1) {
      const { envelope, itemId } = validItem();
      parkedItems.push(itemId);
      const properties = eventProperties({ envelope, routingKey: 'item.created.v1', headers: eventHeaders(`slow-${index}`) });
      const headers = {
        ...(properties.headers as Record<string, unknown>),
        [failureHeader.attempt]: 4,
        [failureHeader.errorType]: 'TimeoutError',
        [failureHeader.errorMessage]: `database did not answer within ${5000 + index} ms`,
        [failureHeader.lastFailureAt]: new Date().toISOString(),
        [failureHeader.originalRoutingKey]: 'item.created.v1',
        [failureHeader.queue]: 'inventory.item-created',
      };
      await publishRaw(vhost.url, '', 'inventory.item-created.dlq', JSON.stringify(envelope), { ...properties, headers });
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
    await Promise.all([vhost?.delete(), issuer?.close()]);
  });

  it('logs in, shows the parked messages grouped, and each main view passes axe', { timeout: 120_000 }, async () => {
    const page = await loggedIn('ops-1', 'openid warren:read warren:operate');
    // 3 of wrong data and 2 missing a field, each parked by inventory and audit, and the 2 timeouts.
    // A scan can briefly miss a message another reader holds, so wait for the whole picture.
    await waitFor(async () => {
      await page.reload();
      return (await page.locator('#summary').textContent())?.startsWith('12 parked message(s) in 3 group(s)');
    }, { description: 'twelve parked messages in three groups', timeoutMs: 60_000 });
    expect(await page.getByRole('row', { name: /TimeoutError: database did not answer within/ }).locator('td.num').textContent()).toBe('2');
    await page.screenshot({ path: `${shots}groups-1280.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /TimeoutError/ }).click();
    await page.waitForURL(/\/messages\?fingerprint=/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}search-1280.png`, fullPage: true });
    await page.locator('td a code').first().click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    await page.getByText('x-warren-error-type').waitFor();
    await page.getByRole('link', { name: /Trace [0-9a-f]{32} in Grafana/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}message-1280.png`, fullPage: true });

    await page.goto(`${consoleUrl}/queues`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}queues-1280.png`, fullPage: true });

    const narrow = await loggedIn('ops-1', 'warren:read warren:operate', 390);
    await narrow.screenshot({ path: `${shots}groups-390.png`, fullPage: true });
    expect(await seriousViolations(narrow)).toEqual([]);
  });

  it('retries a group; the events are applied once and the console says so', { timeout: 120_000 }, async () => {
    const page = await loggedIn('ops-2', 'warren:read warren:operate');
    await waitFor(async () => {
      await page.reload();
      return (await page.getByRole('row', { name: /TimeoutError/ }).locator('td.num').textContent()) === '2';
    }, { description: 'both timeouts in the index', timeoutMs: 60_000 });
    await page.getByRole('row', { name: /TimeoutError/ }).getByRole('button', { name: /^Retry group/ }).click();
    await page.waitForURL(/\/activity\/\d+$/);
    // The status part refreshes itself (htmx) while the action runs.
    await page.locator('[data-outcome]', { hasText: 'done: 2 message(s)' }).waitFor({ timeout: 30_000 });
    const inventoryToken = await issuer.sign({ subject: 'checker', scope: 'inventory:read', audience: 'warren-inventory' });
    for (const itemId of parkedItems) {
      await waitFor(async () => (await requestJson(system.services.inventory.baseUrl, `/api/v1/stock/${itemId}`, { headers: { authorization: `Bearer ${inventoryToken}` } })).status === 200, {
        description: `stock of ${itemId}`,
      });
    }
    // Applied: gone from the dead-letter queues and not back within the retry window (3 s here).
    await page.locator('[data-applied]', { hasText: /^2$/ }).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}activity-1280.png`, fullPage: true });
    const consoleToken = await issuer.sign({ subject: 'checker', scope: 'warren:read', audience: 'warren-console' });
    const activities = await requestJson<{ items: { action: string; actor: string; outcome: string }[] }>(consoleUrl, '/api/v1/activities', { headers: { authorization: `Bearer ${consoleToken}` } });
    expect(activities.body.items[0]).toMatchObject({ action: 'retry', actor: 'ops-2', outcome: 'done: 2 message(s)' });
  });

  it('edits and retries one message: data breaking the contract is refused, valid data is applied', { timeout: 120_000 }, async () => {
    const page = await loggedIn('ops-4', 'warren:read warren:operate');
    // The ones whose priceCents is a string (the others miss their sku).
    await page.goto(`${consoleUrl}/messages?queue=inventory.item-created&text=expected%20number`);
    await page.locator('td a code').first().click();
    await page.waitForURL(/\/messages\/[0-9a-f-]{36}$/);
    const copy = page.locator('section.copy', { hasText: 'In inventory.item-created.dlq' });
    const data = JSON.parse(await copy.getByLabel(/Data to retry with/).inputValue()) as Record<string, unknown>;
    const itemId = String(data['id']);
    await copy.getByLabel(/Data to retry with/).fill(JSON.stringify({ ...data, priceCents: 'still free' }));
    await copy.getByRole('button', { name: 'Edit and retry' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/priceCents[\s\S]*Nothing was sent/);
    const retried = page.locator('section.copy', { hasText: 'In inventory.item-created.dlq' });
    await retried.getByLabel(/Data to retry with/).fill(JSON.stringify({ ...data, priceCents: 2500 }));
    await retried.getByRole('button', { name: 'Edit and retry' }).click();
    await page.waitForURL(/\/activity\/\d+$/);
    await page.locator('[data-outcome]', { hasText: 'done: 1 message(s)' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Original body' }).waitFor();
    const token = await issuer.sign({ subject: 'checker', scope: 'inventory:read', audience: 'warren-inventory' });
    expect(invalidItems).toContain(itemId);
    await waitFor(async () => (await requestJson(system.services.inventory.baseUrl, `/api/v1/stock/${itemId}`, { headers: { authorization: `Bearer ${token}` } })).status === 200, {
      description: 'the edited item applied by inventory',
      timeoutMs: 60_000,
    });
  });

  it('purges a group only after the count is typed', { timeout: 120_000 }, async () => {
    const page = await loggedIn('ops-3', 'warren:read warren:operate');
    await page.locator('table.groups tbody tr').filter({ hasNotText: 'TimeoutError' }).first().getByRole('link', { name: 'Purge…' }).click();
    const count = Number(await page.locator('label strong').textContent());
    expect(count).toBeGreaterThan(0);
    await page.getByLabel(/to confirm/).fill(String(count + 1));
    await page.getByRole('button', { name: 'Purge', exact: true }).click();
    expect(await page.getByRole('alert').textContent()).toContain('nothing was purged');
    await page.getByLabel(/to confirm/).fill(String(count));
    await page.getByRole('button', { name: 'Purge', exact: true }).click();
    await page.locator('[data-outcome]', { hasText: `done: ${count} message(s)` }).waitFor({ timeout: 30_000 });
  });

  it('shows publish and ack rates from the services’ counters, in the API and on the live state page', { timeout: 120_000 }, async () => {
    const catalogToken = await issuer.sign({ subject: 'clerk', scope: 'catalog:write', audience: 'warren-catalog' });
    const writeItems = async () => {
      for (let index = 0; index < 3; index += 1) {
        const key = crypto.randomUUID();
        const created = await requestJson(system.services.catalog.baseUrl, '/api/v1/items', {
          method: 'POST',
          body: { name: 'Counted lamp', sku: `RATE-${key.slice(0, 8)}`, priceCents: 10 },
          headers: { authorization: `Bearer ${catalogToken}`, 'Idempotency-Key': key },
        });
        expect(created.status).toBe(201);
      }
    };
    type Sample = { queues: { queue: string; acked: number | null; ratesError: string | null }[]; services: { service: string; published: number | null; error: string | null }[] };
    const consoleToken = await issuer.sign({ subject: 'checker', scope: 'warren:read', audience: 'warren-console' });
    const sample = async () => (await requestJson<Sample>(consoleUrl, '/api/v1/queues', { headers: { authorization: `Bearer ${consoleToken}` } })).body;
    // A first sample, so the publishing falls within a measured interval; every service answers.
    const first = (await sample()).services.toSorted((a, b) => a.service.localeCompare(b.service));
    expect(first).toEqual(['audit', 'catalog', 'inventory'].map((service): unknown => expect.objectContaining({ service, error: null })));
    await writeItems();
    // Rates are per interval between samples, so the highest seen over the samples is kept.
    const seen = { published: 0, acked: 0 };
    await waitFor(
      async () => {
        const { queues, services } = await sample();
        seen.published = Math.max(seen.published, services.find((entry) => entry.service === 'catalog')?.published ?? 0);
        seen.acked = Math.max(seen.acked, queues.find((entry) => entry.queue === 'inventory.item-created')?.acked ?? 0);
        return seen.published > 0 && seen.acked > 0;
      },
      { description: 'non-zero publish and ack rates in the API', timeoutMs: 30_000 },
    );

    const page = await loggedIn('viewer-2', 'warren:read');
    await page.goto(`${consoleUrl}/queues`);
    await writeItems();
    const shown = { published: 0, acked: 0 };
    await waitFor(
      async () => {
        await page.reload();
        shown.published = Math.max(shown.published, Number(await page.locator('tr[data-service="catalog"] [data-rate="published"]').textContent()));
        shown.acked = Math.max(shown.acked, Number(await page.locator('tr[data-queue="inventory.item-created"] [data-rate="acked"]').textContent()));
        return shown.published > 0 && shown.acked > 0;
      },
      { description: 'non-zero publish and ack rates on the page', timeoutMs: 30_000 },
    );
    await page.getByRole('img', { name: 'Acks per second of inventory.item-created over the last samples' }).waitFor();
    await page.screenshot({ path: `${shots}queues-rates-1280.png`, fullPage: true });
  });

  it('shows an operator without warren:operate no action, and the API refuses theirs', { timeout: 120_000 }, async () => {
    const page = await loggedIn('viewer-1', 'warren:read');
    await page.getByText('(read only)').waitFor();
    expect(await page.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Purge/ }).count()).toBe(0);
    const token = await issuer.sign({ subject: 'viewer-1', scope: 'warren:read', audience: 'warren-console' });
    const refused = await requestJson(consoleUrl, '/api/v1/retries', { method: 'POST', body: { fingerprint: 'abc' }, headers: { authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() } });
    expect(refused.status).toBe(403);
  });
});
