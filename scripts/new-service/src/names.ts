/**
 * Names that cannot be a service: the repository's own folders and workspaces, the compose
 * services and hosts of the deployment, and words an operator would mistake for a tool.
 */
export const reservedNames: ReadonlySet<string> = new Set([
  // tools and folders of the repository
  'cli',
  'console',
  'e2e',
  'bench',
  'collections',
  'contracts',
  'docs',
  'infra',
  'packages',
  'scripts',
  'apps',
  'tools',
  'test',
  'tests',
  'node-modules',
  'warren',
  'new-service',
  // workspaces under packages/
  'http',
  'messaging',
  'outbox',
  'service',
  'telemetry',
  'testing',
  // compose services and public hosts of the deployment
  'postgres',
  'rabbitmq',
  'traefik',
  'grafana',
  'prometheus',
  'loki',
  'tempo',
  'alloy',
  'otel-collector',
  'certs',
  'auth',
  'authentik',
  'authentik-server',
  'authentik-worker',
  'authentik-db',
  // words with a meaning of their own in PostgreSQL, RabbitMQ or HTTP routing
  'public',
  'admin',
  'root',
  'default',
  'events',
  'all',
  'api',
  'www',
]);

const namePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Room for `<name>_owner` (a PostgreSQL identifier, 63 bytes) and readable queue names. */
export const maxNameLength = 30;

/**
 * Why `name` cannot be a service name, or `undefined` when it can: lowercase letters, digits and
 * single dashes, starting with a letter, at most 30 characters, and not a reserved word.
 * (Whether it is taken by an existing service is a question about the repository: see plan.ts.)
 */
export function serviceNameProblem(name: string): string | undefined {
  if (name === '') return 'a service name is required';
  if (name.length > maxNameLength) return `"${name}" is not a valid service name: at most ${maxNameLength} characters`;
  if (!namePattern.test(name)) return `"${name}" is not a valid service name: use lowercase letters, digits and single dashes, starting with a letter`;
  if (reservedNames.has(name)) return `"${name}" is not a valid service name: it is reserved`;
  return undefined;
}

/** `gift-cards` → `giftCards`. */
export function camelCase(name: string): string {
  return name.replace(/[-.]([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `gift-cards` → `GiftCards`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `gift-cards` → `GIFT_CARDS`: the prefix of the service's environment variables and passwords. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `gift-cards` → `Gift cards`: the service's name in titles. */
export function titleCase(name: string): string {
  const spaced = name.replace(/-/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

const eventTypePattern = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Why `type` cannot be an event type (the envelope's rule: `item.created`), or `undefined`. */
export function eventTypeProblem(type: string): string | undefined {
  if (!eventTypePattern.test(type)) return `"${type}" is not a valid event type: it must look like item.created (lowercase words joined by dots)`;
  if (/\.v\d+$/.test(type)) return `"${type}" is not a valid event type: give the type without its version (the service publishes version 1)`;
  return undefined;
}

/** `gift-card.issued` → `giftCardIssuedV1`: the export name of an event definition. */
export function eventExportName(type: string, version: number): string {
  return `${camelCase(type)}V${version}`;
}

/** `gift-card.issued` → `gift-card-issued.v1.ts`: the file of an event definition in contracts/src/events. */
export function eventFileName(type: string, version: number): string {
  return `${type.replace(/\./g, '-')}.v${version}.ts`;
}

/** `item.created.v1` → `item-created`: the handler part of a consumer queue name. */
export function handlerName(routingKey: string): string {
  return routingKey.replace(/\.v\d+$/, '').replace(/\./g, '-');
}
