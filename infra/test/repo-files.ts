import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Absolute path of the repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a file given relative to the repository root. */
export function repoPath(relative: string): string {
  return join(repoRoot, relative);
}

export function readRepoFile(relative: string): string {
  return readFileSync(repoPath(relative), 'utf8');
}

export function repoFileExists(relative: string): boolean {
  return existsSync(repoPath(relative));
}

export interface ComposeHealthcheck {
  test: string | string[];
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  networks?: string[] | Record<string, unknown>;
  network_mode?: string;
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
}

export interface ComposeFile {
  version?: unknown;
  name?: string;
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

/** The repository's docker-compose.yml, with YAML merge keys (`<<: *anchor`) applied. */
export function loadCompose(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
}

/** A YAML file of the repository, parsed (merge keys applied). */
export function readRepoYaml<T>(relative: string): T {
  return parse(readRepoFile(relative), { merge: true }) as T;
}

/** A JSON file of the repository, parsed. */
export function readRepoJson<T>(relative: string): T {
  return JSON.parse(readRepoFile(relative)) as T;
}

/** One service of a compose file; throws when it is not there. */
export function composeService(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/**
 * The networks a service joins: those it lists, `default` when it lists none, and none at all
 * with `network_mode: none`.
 */
export function serviceNetworks(service: ComposeService): string[] {
  if (service.network_mode === 'none') return [];
  if (!service.networks) return ['default'];
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks);
}

/** The value of a `--flag=value` (or `-flag=value`) argument of a service's exec-form command. */
export function commandFlag(service: ComposeService, flag: string): string | undefined {
  const prefix = `${flag}=`;
  return service.command?.find((argument) => argument.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The repository path (relative to the root, normalized: `infra/x.yaml`) a service sees at a path
 * inside its container, through a bind mount of that file or of a directory above it; undefined
 * when no repository bind mount covers the path.
 */
export function repoFileAt(service: ComposeService, containerPath: string): string | undefined {
  for (const mount of (service.volumes ?? []).map(parseMount)) {
    if (mount.kind !== 'repo') continue;
    if (containerPath === mount.target) return posix.normalize(mount.source);
    if (containerPath.startsWith(`${mount.target}/`)) return posix.join(mount.source, containerPath.slice(mount.target.length + 1));
  }
  return undefined;
}

/**
 * Compose variable interpolation as `docker compose` does it with the given environment:
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` and `$$` (a literal dollar).
 */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, operator?: string, fallback?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = braced ?? bare ?? '';
    const current = env[name];
    if (operator === ':-') return current ? current : (fallback ?? '');
    if (operator === '-') return current ?? fallback ?? '';
    return current ?? '';
  });
}

/**
 * One mount in Compose's short syntax (`source:target[:mode]`): a bind mount of a repository path
 * (`./…`), a bind mount of a host path (`/…`), or a named volume.
 */
export interface Mount {
  source: string;
  target: string;
  bind: boolean;
  kind: 'repo' | 'host' | 'volume';
  readOnly: boolean;
}

export function parseMount(spec: string): Mount {
  const [source = '', target = '', mode = ''] = spec.split(':');
  const kind = source.startsWith('.') ? 'repo' : source.startsWith('/') ? 'host' : 'volume';
  return { source, target, bind: kind !== 'volume', kind, readOnly: mode.split(',').includes('ro') };
}

/** The published ports of a service's short-syntax `ports`, as `{ host, container }` numbers. */
export function publishedPorts(service: ComposeService, env: Record<string, string | undefined> = {}): { host: number; container: number }[] {
  return (service.ports ?? []).map((spec) => {
    const parts = interpolate(spec, env).split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}
