import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const env = { DATABASE_URL: 'postgres://console@127.0.0.1:5432/console', AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' };

describe('CONSOLE_METRICS_URLS', () => {
  it('reads the local services outside production when unset, and none in production', () => {
    expect(loadConfig({ ...env, NODE_ENV: 'development' }).CONSOLE_METRICS_URLS).toEqual({
      catalog: 'http://127.0.0.1:3001/metrics',
      inventory: 'http://127.0.0.1:3002/metrics',
      audit: 'http://127.0.0.1:3003/metrics',
    });
    expect(loadConfig({ ...env, NODE_ENV: 'production', AUTH_ISSUER: 'https://issuer.test', CONSOLE_PUBLIC_URL: 'https://console.test' }).CONSOLE_METRICS_URLS).toEqual({});
  });

  it('takes service=url pairs', () => {
    expect(loadConfig({ ...env, CONSOLE_METRICS_URLS: 'catalog=http://catalog:3001/metrics,audit=http://audit:3003/metrics?x=1' }).CONSOLE_METRICS_URLS).toEqual({
      catalog: 'http://catalog:3001/metrics',
      audit: 'http://audit:3003/metrics?x=1',
    });
  });
});
