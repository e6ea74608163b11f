import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';
import { EditError, appendToLiteral, insertAfterLast, insertBeforeFirst, replaceOnce } from '../text-edit.ts';

/** The existing service whose infrastructure blocks are copied: it publishes and consumes, as the new one does. */
const model = { name: 'inventory', prefix: 'INVENTORY', port: 3002 } as const;

/** `model`'s text made the new service's: its name, its environment prefix, its port. */
function renamed(text: string, spec: ServiceSpec): string {
  return text.replaceAll(model.name, spec.name).replaceAll(model.prefix, spec.envPrefix).replaceAll(String(model.port), String(spec.port));
}

/** The lines from the first matching `start` up to (not including) the first line after it matching `end`. */
function block(text: string, start: RegExp, end: RegExp): string {
  const lines = text.split('\n');
  const from = lines.findIndex((line) => start.test(line));
  if (from < 0) throw new EditError(`no line matching ${start}`);
  const to = lines.findIndex((line, index) => index > from && end.test(line));
  return lines.slice(from, to < 0 ? lines.length : to).join('\n');
}

/** Appends `item` to the list (group 1) of the one match of `pattern`, after `separator`. */
function appendToList(text: string, pattern: RegExp, item: string, separator: string, what: string): string {
  const found = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (found.length !== 1) throw new EditError(`expected one ${what}, found ${found.length}`);
  return text.replace(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`), (whole, list: string) => whole.replace(list, `${list}${separator}${item}`));
}

/** A key of an object literal: quoted when it is not an identifier (`'gift-cards'`). */
export function literalKey(name: string): string {
  return /^[a-z][a-z0-9]*$/.test(name) ? name : `'${name}'`;
}

/**
 * The service's place in the deployment and its static checks: its database and roles, compose
 * service behind Traefik, Prometheus job, Grafana dashboard, authentik scopes and providers,
 * log selector, certificate host, Dockerfile hint, and the list of apps the infra tests share.
 */
export async function planInfra(plan: FilePlan, spec: ServiceSpec): Promise<void> {
  const { name, port } = spec;
  await plan.edit('infra/postgres/init/01-warren-roles.sh', (text) =>
    appendToList(appendToList(text, /\$\{WARREN_SERVICES:-([a-z0-9 -]+)\}/, name, ' ', 'WARREN_SERVICES default'), /services to provision \(default "([a-z0-9 -]+)"\)/, name, ' ', 'WARREN_SERVICES comment'),
  );
  await plan.edit('Dockerfile', (text) => appendToList(text, /build with --build-arg SERVICE=([a-z0-9|-]+)/, name, '|', 'SERVICE hint'));
  await plan.edit('docker-compose.yml', (text) => {
    const passwords = block(text, new RegExp(`^      ${model.prefix}_OWNER_PASSWORD:`), new RegExp(`^      (?!${model.prefix}_)`));
    const postgres = block(text, /^ {2}postgres:$/, /^$/);
    const withPasswords = insertAfterLast(postgres, /^ {6}[A-Z0-9_]+_PASSWORD: \$\{[A-Z0-9_]+_PASSWORD:-[a-z0-9_-]+\}$/, renamed(passwords, spec), 'the database passwords of postgres');
    let edited = replaceOnce(text, postgres, withPasswords, 'postgres service block');
    const service = block(edited, new RegExp(`^  ${model.name}:$`), /^$/);
    const audit = block(edited, /^ {2}audit:$/, /^$/);
    edited = replaceOnce(edited, `${audit}\n`, `${audit}\n\n${renamed(service, spec)}\n`, 'audit service block');
    return appendToList(edited, /^ {2}CORS_ORIGINS: (\S+)$/m, `https://${name}.\${WARREN_DOMAIN:-localhost}`, ',', 'CORS_ORIGINS');
  });
  await plan.edit('infra/traefik/dynamic/warren.yml', (text) => {
    const routers = block(text, new RegExp(`^    ${model.name}:$`), /^$/);
    const audit = block(text, /^ {4}audit:$/, /^$/);
    const edited = replaceOnce(text, `${audit}\n`, `${audit}\n\n${renamed(routers, spec)}\n`, 'audit routers');
    return insertAfterLast(edited, /^ {10}- url: http:\/\/[a-z0-9-]+:\d+$/, `    ${name}:\n      loadBalancer:\n        servers:\n          - url: http://${name}:${port}`, 'the services');
  });
  await plan.edit('infra/traefik/make-local-cert.sh', (text) => replaceOnce(text, ' auth.$domain"', ` ${name}.$domain auth.$domain"`, 'auth host in hosts='));
  await plan.edit('infra/prometheus/prometheus.yml', (text) => {
    const job = block(text, new RegExp(`^  - job_name: ${model.name}$`), /^( {2}- job_name|\s*$| {2}#)/);
    const audit = block(text, /^ {2}- job_name: audit$/, /^( {2}- job_name|\s*$| {2}#)/);
    return replaceOnce(text, `${audit}\n`, `${audit}\n${renamed(job, spec)}\n`, 'audit scrape job');
  });
  const dashboard = await plan.read(`infra/grafana/dashboards/${model.name}.json`);
  if (dashboard === undefined) throw new EditError(`infra/grafana/dashboards/${model.name}.json does not exist`);
  // The dashboards are one template apart from the service's name (grafana-dashboards.unit.test.ts).
  await plan.create(`infra/grafana/dashboards/${name}.json`, dashboard.replaceAll(model.name, name));
  await plan.edit('infra/alloy/config.alloy', (text) => appendToList(text, /\{service=~\\"([a-z0-9|-]+)\\"\}/, name, '|', 'service selector'));
  await plan.edit('infra/authentik/blueprints/warren-access.yaml', (text) => {
    const scopes = block(text, new RegExp(`^    id: scope-${model.name}-read$`), /^ {4}id: scope-(?!inventory)/).split('\n').slice(0, -1);
    const generated = renamed(`  - model: authentik_providers_oauth2.scopemapping\n${scopes.join('\n')}`, spec).replace('Read stock levels', `Read ${name}`).replace('Adjust stock', `Write ${name}`);
    return insertAfterLast(text, /^ {6}expression: \*scope-claim$/, generated, 'scope mappings');
  });
  const section = (text: string): string => {
    const header = new RegExp(`^  # --- ${model.name} -+$`);
    const found = block(text, header, /^ {2}# (--- |The outpost)/);
    const [first = '', ...rest] = found.replace(/\n+$/, '').split('\n');
    return [`${`  # --- ${name} `.padEnd(first.length, '-')}`, ...rest.map((line) => renamed(line, spec))].join('\n');
  };
  await plan.edit('infra/authentik/blueprints/warren-apis.yaml', (text) => `${text.replace(/\n*$/, '')}\n\n${section(text)}\n`);
  await plan.edit('infra/authentik/blueprints/warren-docs.yaml', (text) => {
    const edited = insertBeforeFirst(text, /^ {2}# The outpost built into authentik-server/, `${section(text)}\n`, 'the outpost');
    return insertAfterLast(edited, /^ {8}- !KeyOf [a-z0-9-]+-docs-provider$/, `        - !KeyOf ${name}-docs-provider`, 'outpost providers');
  });
  const key = literalKey(name);
  await plan.edit('infra/test/stack.ts', (text) => appendToLiteral(text, 'export const appPorts =', `${key}: ${port}`));
  await plan.edit('infra/test/edge-auth.unit.test.ts', (text) => appendToLiteral(text, 'const requiredScopes: Record<App, string[]> =', `${key}: ['${name}:read', '${name}:write']`));
  await plan.edit('infra/test/grafana-dashboards.unit.test.ts', (text) =>
    appendToLiteral(appendToLiteral(text, 'const ownPanel =', `${key}: 'Outbox pending'`), 'const ownMetric =', `${key}: 'warren_outbox_pending'`),
  );
}
