import type { TestProject } from 'vitest/node';
import { startInfrastructure, type TestInfrastructure } from './infrastructure.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    warrenInfrastructure: TestInfrastructure;
  }
}

/** Vitest global setup: one PostgreSQL and one RabbitMQ per run, handed to every test file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await startInfrastructure();
  project.provide('warrenInfrastructure', started.infrastructure);
  return started.stop;
}
