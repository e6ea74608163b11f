import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { consumerQueueName, type ConsumedEvent } from './spec.ts';
import { sampleOf } from './sample.ts';

/** The parts of @warren/contracts the generator reads, loaded from the repository it generates into. */
interface Contracts {
  eventDefinitions: readonly { type: string; version: number; routingKey: string; data: { safeParse(value: unknown): { success: boolean } } }[];
  eventProducers: readonly { service: string; publishes: readonly string[] }[];
  messagingServices(): string[];
  jsonSchemas(): Record<string, { properties?: { data?: object } }>;
  [name: string]: unknown;
}

/** Thrown for a request the repository cannot take (a taken name, an unknown event); its message is the one line shown. */
export class RefusalError extends Error {}

/** Facts about the repository a service is generated into. */
export interface Repository {
  root: string;
  contracts: Contracts;
}

export async function openRepository(root: string): Promise<Repository> {
  const contracts = (await import(pathToFileURL(join(root, 'contracts/src/index.ts')).href)) as Contracts;
  return { root, contracts };
}

/** Why `name` is taken in this repository, or `undefined` when it is free. */
export async function nameTakenProblem({ root, contracts }: Repository, name: string): Promise<string | undefined> {
  if (existsSync(join(root, 'apps', name))) return `"${name}" is taken: apps/${name} exists`;
  if (existsSync(join(root, 'packages', name)) || existsSync(join(root, name))) return `"${name}" is taken: a folder of that name exists`;
  if (contracts.messagingServices().includes(name)) return `"${name}" is taken: @warren/contracts declares a service of that name`;
  const compose = await readFile(join(root, 'docker-compose.yml'), 'utf8');
  if (new RegExp(`^  ${name}:\\s*$`, 'm').test(compose)) return `"${name}" is taken: docker-compose.yml has a service of that name`;
  return undefined;
}

/** The ports the services listen on by default, read from each `apps/<service>/src/config.ts`. */
export async function servicePorts(root: string): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  for (const app of await readdir(join(root, 'apps'))) {
    const config = join(root, 'apps', app, 'src/config.ts');
    if (!existsSync(config)) continue;
    const found = /baseConfigSchema\('[^']+',\s*(\d+)\)/.exec(await readFile(config, 'utf8'));
    if (found) ports.set(app, Number(found[1]));
  }
  return ports;
}

/** The next port after the highest service port (3001, 3002, 3003 → 3004). */
export function nextPort(ports: ReadonlyMap<string, number>): number {
  return Math.max(3000, ...ports.values()) + 1;
}

/**
 * Resolves what the service consumes: a routing key must be defined; a bare type means its
 * highest version that some service publishes (else its highest defined version).
 */
export async function resolveConsumed(repository: Repository, service: string, requested: readonly string[]): Promise<ConsumedEvent[]> {
  const { contracts, root } = repository;
  const keys: string[] = [];
  for (const wanted of requested) {
    const versions = contracts.eventDefinitions.filter((definition) => definition.routingKey === wanted || definition.type === wanted);
    if (versions.length === 0) throw new RefusalError(`cannot consume ${wanted}: @warren/contracts defines no such event (known: ${contracts.eventDefinitions.map((definition) => definition.routingKey).join(', ')})`);
    const published = new Set(contracts.eventProducers.flatMap((producer) => producer.publishes));
    const byVersion = [...versions].sort((a, b) => b.version - a.version);
    const chosen = byVersion.find((definition) => published.has(definition.routingKey)) ?? byVersion[0];
    if (chosen && !keys.includes(chosen.routingKey)) keys.push(chosen.routingKey);
  }
  const eventFiles = await readdir(join(root, 'contracts/src/events'));
  const schemas = contracts.jsonSchemas();
  const consumed: ConsumedEvent[] = [];
  for (const routingKey of keys) {
    const definition = contracts.eventDefinitions.find((candidate) => candidate.routingKey === routingKey);
    const exportName = Object.keys(contracts).find((key) => contracts[key] === definition);
    if (!definition || !exportName) throw new RefusalError(`cannot consume ${routingKey}: @warren/contracts does not export its definition`);
    let module: string | undefined;
    for (const file of eventFiles) {
      if ((await readFile(join(root, 'contracts/src/events', file), 'utf8')).includes(`export const ${exportName} =`)) module = file;
    }
    if (!module) throw new RefusalError(`cannot consume ${routingKey}: no file in contracts/src/events defines ${exportName}`);
    const sample = sampleOf(schemas[`${routingKey}.json`]?.properties?.data ?? {}) as Record<string, unknown>;
    if (!definition.data.safeParse(sample).success) throw new RefusalError(`cannot consume ${routingKey}: no sample of its data could be made for the generated tests`);
    consumed.push({ routingKey, exportName, module, queue: consumerQueueName(service, routingKey), sample });
  }
  return consumed;
}
