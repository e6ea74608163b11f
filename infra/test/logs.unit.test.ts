import { describe, expect, it } from 'vitest';
import { allBlocks, objectKeys, parseAlloy, stringValue, type AlloyBlock } from './alloy-config.ts';
import { regexAccepts } from './queries.ts';
import { commandFlag, parseMount, readRepoFile, repoFileAt } from './repo-files.ts';
import { apps, compose, files, loki, service } from './stack.ts';

const alloyService = service('alloy');
const lokiService = service('loki');
const components = parseAlloy(readRepoFile(files.alloy));

/** The fields every Warren service's pino line carries besides the message. */
const correlationFields = ['trace_id', 'span_id', 'request_id', 'correlation_id'];

function component(name: string, label: string): AlloyBlock {
  const found = components.find((block) => block.name === name && block.label === label);
  if (!found) throw new Error(`config.alloy has no ${name} "${label}"`);
  return found;
}

function stage(name: string): AlloyBlock {
  const found = allBlocks(components).find((block) => block.name === name);
  if (!found) throw new Error(`config.alloy has no ${name}`);
  return found;
}

describe('Loki configuration', () => {
  it('runs the pinned image with this file as its config', () => {
    expect(lokiService.image).toMatch(/^grafana\/loki:3\.\d+\.\d+$/);
    const configPath = commandFlag(lokiService, '-config.file');
    expect(configPath && repoFileAt(lokiService, configPath)).toBe(files.loki);
  });

  it('keeps chunks, index and compactor state in its named volume', () => {
    const data = (lokiService.volumes ?? []).map(parseMount).find((mount) => mount.kind === 'volume');
    expect(data?.target).toBe('/loki');
    const paths = [loki.common?.path_prefix, loki.common?.storage?.filesystem?.chunks_directory, loki.common?.storage?.filesystem?.rules_directory, loki.compactor?.working_directory];
    for (const path of paths) expect(path).toMatch(/^\/loki(\/|$)/);
  });

  it('stores structured metadata (TSDB, schema v13)', () => {
    const current = loki.schema_config.configs.at(-1);
    expect(current).toMatchObject({ store: 'tsdb', schema: 'v13', object_store: 'filesystem' });
    expect(loki.limits_config?.allow_structured_metadata).toBe(true);
  });
});

describe('Alloy configuration (container logs to Loki)', () => {
  it('runs the pinned image with this file as its config', () => {
    expect(alloyService.image).toMatch(/^grafana\/alloy:v\d+\.\d+\.\d+$/);
    const command = alloyService.command ?? [];
    expect(command[0]).toBe('run');
    expect(repoFileAt(alloyService, command.at(-1) ?? '')).toBe(files.alloy);
  });

  it('refers only to components it declares', () => {
    const declared = new Set(components.map((block) => `${block.name}.${block.label ?? ''}`));
    const values = allBlocks(components).flatMap((block) => [...block.attributes.values()]);
    const references = values.flatMap((value) => [...value.matchAll(/\b((?:discovery|loki)\.[a-z_]+)\.(\w+)\.(?:targets|rules|receiver|output)\b/g)]);
    expect(references.length).toBeGreaterThan(0);
    for (const [reference, kind, label] of references) expect(declared, reference).toContain(`${kind ?? ''}.${label ?? ''}`);
  });

  it('reads the Docker socket that compose mounts read-only', () => {
    const socket = (alloyService.volumes ?? []).map(parseMount).find((mount) => mount.kind === 'host');
    expect(socket).toMatchObject({ source: '/var/run/docker.sock', readOnly: true });
    for (const name of ['discovery.docker', 'loki.source.docker']) {
      expect(stringValue(component(name, 'warren').attributes.get('host'))).toBe(`unix://${socket?.target ?? ''}`);
    }
  });

  it("follows only this compose project's containers, labelled by compose service", () => {
    const filter = component('discovery.docker', 'warren').blocks.find((block) => block.name === 'filter');
    expect(stringValue(filter?.attributes.get('name'))).toBe('label');
    expect(filter?.attributes.get('values')).toBe(`["com.docker.compose.project=${compose.name ?? ''}"]`);
    const rules = component('discovery.relabel', 'warren').blocks.filter((block) => block.name === 'rule');
    const serviceRule = rules.find((rule) => stringValue(rule.attributes.get('target_label')) === 'service');
    expect(serviceRule?.attributes.get('source_labels')).toBe('["__meta_docker_container_label_com_docker_compose_service"]');
  });

  it('parses the JSON lines of exactly the Warren services', () => {
    const selector = stringValue(stage('stage.match').attributes.get('selector')) ?? '';
    const pattern = /^\{service=~"([^"]+)"\}$/.exec(selector)?.[1] ?? '';
    for (const app of apps) expect(regexAccepts(pattern, app), app).toBe(true);
    for (const other of Object.keys(compose.services).filter((name) => !apps.includes(name as (typeof apps)[number]))) {
      expect(regexAccepts(pattern, other), other).toBe(false);
    }
    expect(objectKeys(stage('stage.json').attributes.get('expressions'))).toEqual(expect.arrayContaining(['level', ...correlationFields]));
  });

  it('indexes the level only, and keeps the trace and request ids as structured metadata', () => {
    // One stream per trace id would flood Loki's index; structured metadata is filtered without it.
    expect(objectKeys(stage('stage.labels').attributes.get('values'))).toEqual(['level']);
    expect(objectKeys(stage('stage.structured_metadata').attributes.get('values')).sort()).toEqual([...correlationFields].sort());
  });

  it("pushes to the loki service's push API on the port Loki listens on", () => {
    const endpoint = component('loki.write', 'local').blocks.find((block) => block.name === 'endpoint');
    const url = new URL(stringValue(endpoint?.attributes.get('url')) ?? '');
    expect(Object.keys(compose.services)).toContain(url.hostname);
    expect(url.hostname).toBe('loki');
    expect(Number(url.port)).toBe(loki.server.http_listen_port);
    expect(url.pathname).toBe('/loki/api/v1/push');
  });
});
