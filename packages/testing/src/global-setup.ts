import type { TestProject } from 'vitest/node';
import { startInfrastructure } from './infrastructure.ts';
import './provided.ts';

/** Vitest global setup: one PostgreSQL and one RabbitMQ per run, handed to every test file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = await startInfrastructure();
  project.provide('warrenInfrastructure', started.infrastructure);
  return () => started.stop();
}
