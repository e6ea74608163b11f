import { describe, expect, it } from 'vitest';
import { fingerprint, frameKey, messageTemplate, type FingerprintSource } from './fingerprint.ts';

function failure(errorMessage: string, overrides: Partial<FingerprintSource> = {}): FingerprintSource {
  return { parkedBy: 'warren', errorType: 'Error', errorCode: null, errorMessage, stackTopFrame: 'handler (/app/apps/inventory/src/handlers/item-created.ts:12:11)', death: null, ...overrides };
}

describe('messageTemplate', () => {
  it.each([
    ['timeout after 5000ms on attempt 3', 'timeout after <n>ms on attempt <n>'],
    ['item 0197a3b0-0000-7000-8000-000000000001 not found', 'item <uuid> not found'],
    ['sku "SKU-1234" is taken', 'sku <str> is taken'],
    ["column 'price_cents' violates check", 'column <str> violates check'],
    ['lock held since 2025-06-01T10:00:00.000Z by tx 91', 'lock held since <time> by tx <n>'],
    ['object 5f2b8c9e1a3d4f6b7c8d9e0f missing at 0x7ffe', 'object <hex> missing at <hex>'],
    ['price -12.50 below zero', 'price -<n> below zero'],
    ['connect 10.0.0.12:5432 refused', 'connect <n>.<n>:<n> refused'],
    ['item.created.v1 refused by  handler\n  twice', 'item.created.v1 refused by handler twice'],
    ['deadbeef is a word, so is accede', 'deadbeef is a word, so is accede'],
  ])('%j → %j', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });
});

describe('frameKey', () => {
  it.each([
    ['handler (/app/apps/inventory/src/handlers/item-created.ts:12:11)', 'apps/inventory/src/handlers/item-created.ts:handler'],
    ['async handler (file:///home/dev/warren/apps/inventory/src/handlers/item-created.ts:40:3)', 'apps/inventory/src/handlers/item-created.ts:handler'],
    ['Object.parse (/app/node_modules/zod/v4/core/parse.js:7:1)', 'node_modules/zod/v4/core/parse.js:Object.parse'],
    ['inventory/src/handlers/item-created.ts:12:11', 'inventory/src/handlers/item-created.ts:<anonymous>'],
  ])('%j → %j', (frame, key) => {
    expect(frameKey(frame)).toBe(key);
  });

  it('is null without a frame', () => {
    expect(frameKey(null)).toBeNull();
  });
});

describe('fingerprint', () => {
  it('is the same for the same failure with other data, and 12 hex digits', () => {
    const one = fingerprint(failure('timeout after 5000ms for item 0197a3b0-0000-7000-8000-000000000001'));
    const two = fingerprint(failure('timeout after 7300ms for item 0197a3b0-0000-7000-8000-0000000000ff'));
    expect(one.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(two).toEqual(one);
    expect(one).toMatchObject({ template: 'timeout after <n>ms for item <uuid>', title: 'Error: timeout after <n>ms for item <uuid>', frame: 'apps/inventory/src/handlers/item-created.ts:handler' });
  });

  it('ignores the line and column of the top frame and where the code is deployed', () => {
    const moved = failure('boom', { stackTopFrame: 'handler (/srv/other/apps/inventory/src/handlers/item-created.ts:99:1)' });
    expect(fingerprint(moved).hash).toBe(fingerprint(failure('boom')).hash);
  });

  it('differs by error type, code, message template and top frame function or file', () => {
    const base = fingerprint(failure('boom')).hash;
    const variants = [
      failure('boom', { errorType: 'PermanentError' }),
      failure('boom', { errorCode: 'invalid_data' }),
      failure('bang'),
      failure('boom', { stackTopFrame: 'apply (/app/apps/inventory/src/handlers/item-created.ts:12:11)' }),
      failure('boom', { stackTopFrame: 'handler (/app/apps/audit/src/handlers/log.ts:12:11)' }),
    ].map((variant) => fingerprint(variant).hash);
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it('names a broker dead-letter by its x-death reason', () => {
    const limit = fingerprint({ parkedBy: 'broker', errorType: null, errorCode: null, errorMessage: null, stackTopFrame: null, death: { reason: 'delivery_limit', count: 1, queue: 'audit.event-log', time: null } });
    const rejected = fingerprint({ parkedBy: 'broker', errorType: null, errorCode: null, errorMessage: null, stackTopFrame: null, death: { reason: 'rejected', count: 1, queue: 'audit.event-log', time: null } });
    expect(limit).toMatchObject({ title: 'broker:delivery_limit', template: '', frame: null });
    expect(rejected.hash).not.toBe(limit.hash);
  });
});
