import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestVhost, infrastructure, startSystem, startTestIssuer, waitFor, type RunningSystem, type TestIssuer, type TestVhost } from '@warren/testing';
import { requestJson } from './http-client.ts';
import { browserAvailable, launchBrowser, loggedIn as loggedInTo, screenshotsFolder, seriousViolations } from './support/console-browser.ts';
import { consumed } from './support/metrics.ts';
import { withSql } from './support/sql.ts';

/** A `datetime-local` value (UTC, to the minute) as the archive form takes it. */
const minuteOf = (at: Date) => at.toISOString().slice(0, 16);

describe.skipIf(!browserAvailable)("the console's archive replay in a browser", () => {
  let vhost: TestVhost;
  let issuer: TestIssuer;
  let system: RunningSystem;
  let browser: Browser;
  let consoleUrl: string;
  let shots: string;
  const itemIds: string[] = [];
  let createdFrom: Date;

  const loggedIn = (subject: string, scope: string): Promise<Page> => loggedInTo(browser, issuer, consoleUrl, subject, scope);

  /** How many stock rows inventory holds for each item, and how many audit events per event id of theirs. */
  async function appliedCounts(): Promise<{ stockRows: number[]; auditEvents: number[] }> {
    const stockRows = await withSql(system.databaseUrl('inventory'), (sql) =>
      Promise.all(itemIds.map(async (itemId) => Number((await sql<{ count: string }[]>`select count(*) from stock where item_id = ${itemId}`)[0]?.count))),
    );
    const auditEvents = await withSql(system.databaseUrl('audit'), async (sql) =>
      (await sql<{ count: string }[]>`select count(*) from events where type = 'item.created' and subject in ${sql(itemIds)} group by id order by id`).map((row) => Number(row.count)),
    );
    return { stockRows, auditEvents };
  }

  /** The archive page filtered to item.created events published since the items were created. */
  async function browseItemsCreated(page: Page, subject = ''): Promise<void> {
    await page.goto(`${consoleUrl}/archive`);
    await page.getByLabel('Producer').selectOption('catalog');
    await page.getByLabel('Event type or routing key').fill('item.created');
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Published from').fill(minuteOf(createdFrom));
    await page.getByRole('button', { name: 'Browse' }).click();
    await page.waitForURL(/\/archive\?/);
  }

  beforeAll(async () => {
    shots = screenshotsFolder();
    [vhost, issuer] = await Promise.all([createTestVhost('console-archive-e2e'), startTestIssuer()]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      env: { AUTH_ISSUER: issuer.issuer },
      serviceEnv: { console: { CONSOLE_INDEX_INTERVAL_MS: '1000', CONSOLE_RETRY_WINDOW_MS: '3000' } },
    });
    consoleUrl = system.services.console.baseUrl;
    createdFrom = new Date(Date.now() - 60_000);
    // Items created through catalog's API: catalog's outbox publishes item.created and keeps it in its archive.
    const catalogToken = await issuer.sign({ subject: 'clerk', scope: 'catalog:read catalog:write', audience: 'warren-catalog' });
    for (let index = 0; index < 3; index += 1) {
      const key = crypto.randomUUID();
      const created = await requestJson<{ id: string }>(system.services.catalog.baseUrl, '/api/v1/items', {
        method: 'POST',
        body: { name: `Archived lamp ${index}`, sku: `ARCH-${key.slice(0, 8)}`, priceCents: 1200 + index },
        headers: { authorization: `Bearer ${catalogToken}`, 'Idempotency-Key': key },
      });
      expect(created.status).toBe(201);
      itemIds.push(created.body.id);
    }
    await waitFor(async () => {
      const { stockRows, auditEvents } = await appliedCounts();
      return stockRows.every((count) => count === 1) && auditEvents.length === itemIds.length;
    }, { description: 'inventory and audit to apply the three item.created events', timeoutMs: 60_000 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
    await Promise.all([vhost?.delete(), issuer?.close()]);
  });

  it('finds the events, dry-runs, re-publishes them to inventory, and inventory drops them as duplicates', { timeout: 180_000 }, async () => {
    const page = await loggedIn('ops-archive', 'openid warren:read warren:operate');
    // One subject: only that item's event.
    await browseItemsCreated(page, itemIds[1]);
    expect(await page.locator('p.summary').textContent()).toContain('1 archived event(s) match');
    expect(await page.locator('table tbody td:nth-child(4)').allTextContents()).toEqual([itemIds[1]]);

    // The type and time range: the three of them (the relay marks a row published just after the consumers see it).
    await waitFor(async () => {
      await browseItemsCreated(page);
      return (await page.locator('p.summary').textContent())?.includes('3 archived event(s) match');
    }, { description: 'the three events in the archive', timeoutMs: 30_000 });
    expect((await page.locator('table tbody td:nth-child(4)').allTextContents()).sort()).toEqual([...itemIds].sort());
    expect(await seriousViolations(page)).toEqual([]);
    // The selects read like the text fields beside them (not the browser's small default font).
    const fontSize = (label: string) => page.getByLabel(label).evaluate((field) => (globalThis as unknown as { getComputedStyle(element: unknown): { fontSize: string } }).getComputedStyle(field).fontSize);
    expect(await fontSize('Producer')).toBe(await fontSize('Event type or routing key'));
    expect(await fontSize('To consumer queue')).toBe(await fontSize('Event type or routing key'));
    await page.screenshot({ path: `${shots}archive-1280.png`, fullPage: true });

    const before = await appliedCounts();
    const duplicatesBefore = await consumed(system.services.inventory, 'inventory.item-created', 'duplicate');
    const appliedBefore = await consumed(system.services.inventory, 'inventory.item-created', 'applied');

    // A dry run of two selected events sends nothing and lists what it would send.
    const eventIds = await page.locator('table tbody td:nth-child(2)').allTextContents();
    await page.getByLabel(`Select ${eventIds[0]}`).check();
    await page.getByLabel(`Select ${eventIds[2]}`).check();
    await page.getByLabel('To consumer queue').selectOption('inventory.item-created');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.waitForURL(/\/activity\/\d+$/);
    await page.locator('[data-outcome]', { hasText: 'dry run: 2 message(s) would be affected' }).waitFor();
    expect(await page.locator('dd', { hasText: 'archive-replay' }).textContent()).toContain('dry run: nothing changed');
    const wouldSend = await page.locator('h2:has-text("Would be affected") + ul li').allTextContents();
    expect(wouldSend.sort()).toEqual([`${eventIds[0]} → inventory.item-created`, `${eventIds[2]} → inventory.item-created`].sort());

    // The whole selection (none ticked) re-published to inventory's queue; the console follows it to its outcome.
    await browseItemsCreated(page);
    await page.getByLabel('To consumer queue').selectOption('inventory.item-created');
    await page.getByRole('button', { name: /^Re-publish selected/ }).click();
    await page.waitForURL(/\/activity\/\d+$/);
    await page.locator('[data-outcome]', { hasText: 'done: 3 message(s)' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('dd', { hasText: 'archive-replay' }).textContent()).not.toContain('dry run');
    expect(await page.locator('dd', { hasText: "catalog's archive" }).textContent()).toBe("3 event(s) of catalog's archive (item.created) to inventory.item-created");

    // The dry run sent nothing, the replay three: inventory's inbox drops each as a duplicate.
    await waitFor(async () => (await consumed(system.services.inventory, 'inventory.item-created', 'duplicate')) - duplicatesBefore === 3, {
      description: 'inventory to drop the three replayed events',
      timeoutMs: 30_000,
    });
    expect(await consumed(system.services.inventory, 'inventory.item-created', 'applied')).toBe(appliedBefore);
    expect(await appliedCounts()).toEqual(before);
    expect(before.stockRows).toEqual([1, 1, 1]);
    expect(before.auditEvents).toEqual([1, 1, 1]);

    const consoleToken = await issuer.sign({ subject: 'checker', scope: 'warren:read', audience: 'warren-console' });
    const activities = await requestJson<{ items: { action: string; actor: string; outcome: string; dryRun: boolean }[] }>(consoleUrl, '/api/v1/activities', { headers: { authorization: `Bearer ${consoleToken}` } });
    expect(activities.body.items.slice(0, 2)).toMatchObject([
      { action: 'archive-replay', actor: 'ops-archive', outcome: 'done: 3 message(s)', dryRun: false },
      { action: 'archive-replay', actor: 'ops-archive', outcome: 'dry run: 2 message(s) would be affected', dryRun: true },
    ]);
  });

  it('shows an operator with only warren:read the archive without re-publish, and the API refuses theirs', { timeout: 120_000 }, async () => {
    const page = await loggedIn('viewer-archive', 'warren:read');
    await waitFor(async () => {
      await browseItemsCreated(page);
      return (await page.locator('p.summary').textContent())?.includes('3 archived event(s) match');
    }, { description: 'the three events in the archive', timeoutMs: 30_000 });
    expect(await page.getByRole('button', { name: /Re-publish/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Dry run' }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    const token = await issuer.sign({ subject: 'viewer-archive', scope: 'warren:read', audience: 'warren-console' });
    const refused = await requestJson(consoleUrl, '/api/v1/archive/replays', {
      method: 'POST',
      body: { service: 'catalog', queue: 'inventory.item-created', type: 'item.created', since: createdFrom.toISOString(), until: new Date(Date.now() + 60_000).toISOString() },
      headers: { authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
    });
    expect(refused.status).toBe(403);
  });
});
