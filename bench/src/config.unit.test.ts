import { baseConfigSchema, parseConfig } from '@warren/service';
import { describe, expect, it } from 'vitest';
import { defaultServiceEnvironment, loadBenchConfig, tracingServiceEnvironment } from './config.ts';

describe('defaultServiceEnvironment', () => {
  it("sets only what the bench must, and puts back the service defaults that startSystem changes", () => {
    const defaults = parseConfig(baseConfigSchema('catalog', 3001), {});
    const env = defaultServiceEnvironment();
    expect(Object.keys(env).sort()).toEqual(['HOST', 'RATE_LIMIT_PER_MINUTE', 'RELAY_POLL_INTERVAL_MS', 'RETRY_DELAYS_MS']);
    expect(Number(env['RELAY_POLL_INTERVAL_MS'])).toBe(defaults.RELAY_POLL_INTERVAL_MS);
    expect(env['RETRY_DELAYS_MS']?.split(',').map(Number)).toEqual(defaults.RETRY_DELAYS_MS);
  });

  it('turns the per-caller rate limit off', () => {
    expect(parseConfig(baseConfigSchema('catalog', 3001), defaultServiceEnvironment()).RATE_LIMIT_PER_MINUTE).toBe(0);
  });
});

describe('loadBenchConfig', () => {
  it('applies BENCH_SERVICE_* to the tuned settings and BENCH_NAIVE_* to the naive ones, not to the defaults', () => {
    const config = loadBenchConfig({ BENCH_SERVICE_CONSUMER_PREFETCH: '7', BENCH_NAIVE_DATABASE_POOL_SIZE: '3' });
    expect(config.tunedEnv['CONSUMER_PREFETCH']).toBe('7');
    expect(config.naiveEnv).toEqual({ DATABASE_POOL_SIZE: '3', CONSUMER_PREFETCH: '32' });
    expect(config.defaultEnv).toEqual(defaultServiceEnvironment());
  });
});

describe('tracingServiceEnvironment', () => {
  it('turns the SDK on with every trace sampled and exported to the endpoint, on top of the tuned settings', () => {
    const env = tracingServiceEnvironment({ CONSUMER_PREFETCH: '100' }, 'http://127.0.0.1:4318');
    expect(env).toEqual({
      CONSUMER_PREFETCH: '100',
      OTEL_SDK_DISABLED: 'false',
      OTEL_TRACES_SAMPLER: 'always_on',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    expect(parseConfig(baseConfigSchema('catalog', 3001), env).OTEL_SDK_DISABLED).toBe(false);
  });
});
