import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestIssuer } from '@warren/testing';

/** Debian's chromium; the console's browser tests are skipped without it unless WARREN_REQUIRE_BROWSER=true. */
export const chromiumPath = '/usr/bin/chromium';
export const browserAvailable = existsSync(chromiumPath) || process.env['WARREN_REQUIRE_BROWSER'] === 'true';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Where screenshots of the main views go, for people to look at: git-ignored artifacts in a test
 * run, the README's tour under docs/console when `npm run docs:console` sets WARREN_CONSOLE_SCREENSHOTS.
 * Ends with a slash; created on first call.
 */
export function screenshotsFolder(): string {
  const setting = process.env['WARREN_CONSOLE_SCREENSHOTS'];
  const folder = setting ? `${resolve(setting)}/` : fileURLToPath(new URL('../../artifacts/console/', import.meta.url));
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Headless chromium as the console's browser tests run it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context logged in to the console at `consoleUrl` through `issuer` as `subject` with `scope`. */
export async function loggedIn(browser: Browser, issuer: TestIssuer, consoleUrl: string, subject: string, scope: string, width = 1280): Promise<Page> {
  issuer.login({ subject, scope, name: subject });
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${consoleUrl}/groups`);
  await page.waitForURL(`${consoleUrl}/groups`);
  return page;
}

/** Axe's serious and critical violations on the page, as `id: target` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
}
