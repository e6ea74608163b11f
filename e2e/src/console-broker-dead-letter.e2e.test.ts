import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { eventProperties } from '@warren/messaging';
import { publishRaw } from '@warren/messaging/testing';
import { brokerDeadLetter, declareQueues, itemCreated } from '@warren/operations/testing';
import { createTestVhost, infrastructure, startSystem, startTestIssuer, waitFor, type RunningSystem, type TestIssuer, type TestVhost } from '@warren/testing';
import { browserAvailable, launchBrowser, loggedIn, seriousViolations } from './support/console-browser.ts';

describe.skipIf(!browserAvailable)('a broker dead-letter in the console', () => {
  let vhost: TestVhost;
  let issuer: TestIssuer;
  let system: RunningSystem;
  let browser: Browser;
  const crashed = itemCreated('crashed-1');
  const invalid = itemCreated('invalid-1');

  beforeAll(async () => {
    [vhost, issuer] = await Promise.all([createTestVhost('console-broker-dlq-e2e'), startTestIssuer()]);
    // inventory's queue made beforehand with a broker delivery limit of 2 (Warren's own is out of
    // reach, 1,000); inventory keeps an existing queue's arguments as they are.
    await declareQueues(vhost, [{ queue: 'inventory.item-created', deliveryLimit: 2 }]);
    system = await startSystem({
      adminUrl: infrastructure().databaseUrl,
      amqpUrl: vhost.url,
      env: { AUTH_ISSUER: issuer.issuer },
      serviceEnv: { console: { CONSOLE_INDEX_INTERVAL_MS: '1000' } },
    });
    // With inventory down, a message delivered and put back until the queue's delivery limit is
    // dead-lettered by RabbitMQ itself (as when a consumer crashes on it every time): no x-warren-* headers.
    await system.services.inventory.stop();
    await brokerDeadLetter(vhost, 'inventory.item-created', crashed);
    await system.restart('inventory');
    // And one a consumer parks (data of the wrong type): inventory and audit each park it.
    const data = { ...(invalid.envelope.data as Record<string, unknown>), priceCents: 'free' };
    await publishRaw(vhost.url, 'events', invalid.routingKey, JSON.stringify({ ...invalid.envelope, data }), eventProperties(invalid));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
    await Promise.all([vhost?.delete(), issuer?.close()]);
  });

  it('groups the broker dead-letter on its own, apart from what the consumers parked', { timeout: 120_000 }, async () => {
    const consoleUrl = system.services.console.baseUrl;
    const page = await loggedIn(browser, issuer, consoleUrl, 'ops-broker', 'warren:read warren:operate');
    await waitFor(async () => {
      await page.reload();
      return (await page.locator('#summary').textContent())?.startsWith('3 parked message(s) in 2 group(s)');
    }, { description: 'the broker dead-letter and the two parked copies in two groups', timeoutMs: 60_000 });
    const brokerGroup = page.getByRole('row', { name: /dead-lettered by the broker/ });
    expect(await brokerGroup.locator('th').textContent()).toContain('delivery_limit (dead-lettered by the broker)');
    expect(await brokerGroup.locator('td.num').textContent()).toBe('1');
    expect(await page.getByRole('row', { name: /priceCents/ }).locator('td.num').textContent()).toBe('2');
    expect(await seriousViolations(page)).toEqual([]);

    await brokerGroup.getByRole('link').first().click();
    await page.waitForURL(/\/messages\?fingerprint=/);
    expect(await page.locator('td a code').allTextContents()).toEqual([crashed.envelope.id]);
  });
});
