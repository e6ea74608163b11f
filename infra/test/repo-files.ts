import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: ComposeHealthcheck;
}

export interface ComposeFile {
  version?: unknown;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The repository's docker-compose.yml, with YAML merge keys (`<<: *anchor`) applied. */
export function loadCompose(): ComposeFile {
  return parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeFile;
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

/** One bind or volume mount in Compose's short syntax (`source:target[:mode]`). */
export interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

export function parseMount(spec: string): Mount {
  const [source = '', target = ''] = spec.split(':');
  return { source, target, bind: source.startsWith('.') || source.startsWith('/') };
}

/** The published ports of a service's short-syntax `ports`, as `{ host, container }` numbers. */
export function publishedPorts(service: ComposeService, env: Record<string, string | undefined> = {}): { host: number; container: number }[] {
  return (service.ports ?? []).map((spec) => {
    const parts = interpolate(spec, env).split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}
