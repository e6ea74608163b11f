import { fileURLToPath } from 'node:url';
import { spawnChild } from '../child.ts';

/** The discarding OTLP receiver, running as its own process. */
export interface OtlpSink {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` for the services. */
  endpoint: string;
  /** Export requests and bytes received since it started. */
  stats(): Promise<{ requests: number; bytes: number }>;
  close(): Promise<void>;
}

/** Starts `otlp-sink.ts` on a free loopback port. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const child = await spawnChild({ name: 'otlp sink', args: [fileURLToPath(new URL('./otlp-sink.ts', import.meta.url))], env: {} });
  const endpoint = `http://127.0.0.1:${child.port}`;
  return {
    endpoint,
    async stats() {
      const response = await fetch(`${endpoint}/stats`);
      return (await response.json()) as { requests: number; bytes: number };
    },
    async close() {
      await child.stop();
    },
  };
}
