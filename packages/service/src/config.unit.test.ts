import { describe, expect, it } from 'vitest';
import { ConfigError, baseConfigSchema, parseConfig } from './config.ts';

describe('service configuration', () => {
  const schema = baseConfigSchema('catalog', 3001);

  it('runs locally with no configuration at all', () => {
    const config = parseConfig(schema, {});
    expect(config.PORT).toBe(3001);
    expect(config.DATABASE_URL).toBe('postgres://catalog@127.0.0.1:5432/catalog');
    expect(config.DATABASE_ADMIN_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(config.RETRY_DELAYS_MS).toEqual([1000, 5000, 30000]);
  });

  it('never guesses an admin URL in production', () => {
    expect(parseConfig(schema, { NODE_ENV: 'production', AUTH_DISABLED: 'true' }).DATABASE_ADMIN_URL).toBe('');
  });

  it('names every bad variable and why', () => {
    const parse = () => parseConfig(schema, { PORT: 'eighty', RETRY_DELAYS_MS: '1s,5s', IDEMPOTENCY_RETENTION_HOURS: '1' });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/PORT:[\s\S]*RETRY_DELAYS_MS: a comma-separated list[\s\S]*IDEMPOTENCY_RETENTION_HOURS: keys are kept at least 24 hours/);
  });

  it('refuses production without an issuer unless authentication is disabled explicitly', () => {
    expect(() => parseConfig(schema, { NODE_ENV: 'production' })).toThrow(/AUTH_ISSUER: required in production/);
    expect(parseConfig(schema, { NODE_ENV: 'production', AUTH_DISABLED: 'true' }).AUTH_DISABLED).toBe(true);
    expect(parseConfig(schema, { NODE_ENV: 'production', AUTH_ISSUER: 'https://auth.example/app/' }).AUTH_AUDIENCE).toBe('warren-catalog');
  });

  it('reads CORS origins as a list', () => {
    expect(parseConfig(schema, { CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });
});

