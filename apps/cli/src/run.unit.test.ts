import { describe, expect, it } from 'vitest';
import { warren } from './cli.test-support.ts';
import { isoDate, parkedMessageOptions, parkedMessages, parseOptions } from './options.ts';

// Nothing listens on port 1: a command that reached for the broker or a database would fail with 1, not 2.
const offline = { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1', CATALOG_DATABASE_URL: 'postgres://catalog@127.0.0.1:1/catalog' };

describe('warren usage and argument errors', () => {
  it('prints the usage with every command for --help and exits 0', async () => {
    const result = await warren(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['dlq list', 'dlq show', 'dlq replay', 'dlq purge', 'outbox status', 'archive replay', 'backup', 'restore', 'recover']) expect(result.stdout).toContain(command);
  });

  it('prints a command’s own usage for <command> --help', async () => {
    const result = await warren(['dlq', 'replay', '--queue', 'x.dlq', '--help'], offline);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: warren dlq replay --queue Q/);
  });

  it.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command frobnicate'],
    [['dlq'], 'missing dlq subcommand'],
    [['dlq', 'explode'], 'unknown command dlq explode'],
    [['dlq', 'list', '--bogus'], "Unknown option '--bogus'"],
    [['dlq', 'list', 'stray'], 'Unexpected argument'],
    [['dlq', 'list', '--queue', 'inventory.item-created'], '--queue must name a dead-letter queue'],
    [['dlq', 'show', '--queue', 'a.b.dlq'], 'missing --id'],
    [['dlq', 'replay', '--queue', 'a.b.dlq', '--limit', '0'], '--limit must be a positive integer'],
    [['dlq', 'replay', '--queue', 'a.b.dlq', '--rate', 'fast'], '--rate must be a positive number'],
    [['dlq', 'replay', '--queue', 'a.b.dlq', '--limit', '0', '--rate', 'fast'], '--limit must be a positive integer'],
    [['dlq', 'replay', '--queue', 'a.b.dlq', '--to', 'a.b'], "Unknown option '--to'"],
    [['dlq', 'redirect', '--to', 'a.b'], 'missing --queue'],
    [['dlq', 'redirect', '--queue', 'a.b', '--to', 'a.b'], '--queue must name a dead-letter queue'],
    [['dlq', 'redirect', '--queue', 'a.b.dlq', '--limit', '0'], 'missing --to'],
    [['dlq', 'redirect', '--queue', 'a.b.dlq', '--to', 'a.b', '--limit', '1.5'], '--limit must be a positive integer'],
    [['dlq', 'redirect', '--queue', 'a.b.dlq', '--to', 'a.b', '--rate', '0'], '--rate must be a positive number'],
    [['dlq', 'purge', '--queue', 'a.b.dlq', '--id', 'x'], 'refusing to purge a.b.dlq without --yes'],
    [['archive', 'replay', '--service', 'catalog', '--type', 'item.created', '--to-queue', 'q'], 'missing --since'],
    [['archive', 'replay', '--service', 'catalog', '--type', 'item.created', '--to-queue', 'q', '--since', 'yesterday'], '--since is not an ISO-8601 date'],
    [['archive', 'replay', '--service', 'catalog', '--type', 'item.created', '--to-queue', 'q', '--since', '2025-06-02', '--until', '2025-06-01'], '--until (2025-06-01T00:00:00.000Z) must be after --since'],
    [['archive', 'replay', '--service', 'catalog', '--type', 'item.created', '--to-queue', 'q', '--since', '2025-06-01', '--rate', 'fast'], '--rate must be a positive number'],
    [['backup', '--service', 'audit'], 'missing --file'],
    [['restore', '--service', 'audit', '--file', 'audit.dump'], 'refusing to restore audit without --yes'],
    [['recover', '--since', '2025-06-01'], 'missing --service'],
    [['recover', '--service', 'audit'], 'missing --since'],
    [['recover', '--service', 'audit', '--since', '2999-01-01'], '--since 2999-01-01T00:00:00.000Z is in the future'],
  ])('%j exits 2 with "%s" and the usage', async (args, message) => {
    const result = await warren(args, offline);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: warren');
  });

  it('names an unknown service and exits 1 before touching the broker', async () => {
    const args = ['archive', 'replay', '--service', 'billing', '--type', 'x.y', '--to-queue', 'q', '--since', '2025-06-01'];
    expect(await warren(args, offline)).toEqual({ code: 1, stdout: '', stderr: 'warren: unknown service billing: expected one of catalog, inventory (or set BILLING_DATABASE_URL)\n' });
  });

  it('prints the usage of a one-word command for recover --help', async () => {
    const result = await warren(['recover', '--help'], offline);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Usage: warren recover --service S --since ISO/);
  });

  it.each([
    ['billing', 'warren: unknown service billing: expected one of catalog, inventory, audit\n'],
    ['catalog', 'warren: catalog consumes no queue: there is nothing to recover into it (its own events are in its outbox)\n'],
  ])('refuses to recover %s and exits 1 before touching the broker', async (service, stderr) => {
    expect(await warren(['recover', '--service', service, '--since', '2025-06-01'], offline)).toEqual({ code: 1, stdout: '', stderr });
  });

  it.each([
    [['backup', '--service', 'billing', '--file', 'x.dump']],
    [['restore', '--service', 'billing', '--file', 'x.dump', '--yes']],
  ])('%j names the unknown service and exits 1 before running any tool', async (args) => {
    expect(await warren(args, offline)).toEqual({ code: 1, stdout: '', stderr: 'warren: unknown service billing: expected one of catalog, inventory, audit\n' });
  });

  it('reports an unreachable broker with exit 1 and without its password', async () => {
    const result = await warren(['dlq', 'list', '--queue', 'a.b.dlq'], { AMQP_URL: 'amqp://guest:secret@127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot connect to RabbitMQ at amqp://guest:***@127.0.0.1:1');
  });
});

describe('isoDate', () => {
  it.each([
    ['2025-06-01', '2025-06-01T00:00:00.000Z'],
    ['2025-06-01T10:30', '2025-06-01T10:30:00.000Z'],
    ['2025-06-01T10:30:15.250Z', '2025-06-01T10:30:15.250Z'],
    ['2025-06-01T10:30:00+02:00', '2025-06-01T08:30:00.000Z'],
  ])('reads %s as %s (UTC without an offset)', (value, expected) => {
    expect(isoDate(value, 'since', '')?.toISOString()).toBe(expected);
  });

  it.each(['2025-02-30', '2025-13-01', '1 June 2025', '2025-06-01T25:00', ''])('refuses %j', (value) => {
    expect(() => isoDate(value, 'since', '')).toThrow(/not an ISO-8601/);
  });
});

describe('parkedMessages', () => {
  const parse = (args: string[]) => parkedMessages(parseOptions(args, parkedMessageOptions, ''), '');

  it('selects every message, unbounded and for real when no option is given', () => {
    expect(parse([])).toEqual({ filter: { type: undefined, error: undefined }, limit: undefined, ratePerSecond: undefined, dryRun: false });
  });

  it('reads --type, --error, --limit, --rate and --dry-run', () => {
    const args = ['--type', 'item.created', '--error', 'timeout', '--limit', '5', '--rate', '0.5', '--dry-run'];
    expect(parse(args)).toEqual({ filter: { type: 'item.created', error: 'timeout' }, limit: 5, ratePerSecond: 0.5, dryRun: true });
  });
});
