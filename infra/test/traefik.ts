import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { readRepoFile, readRepoYaml, repoPath } from './repo-files.ts';

/** Traefik's files, as the tests read them. */
export const traefikFiles = {
  static: 'infra/traefik/traefik.yml',
  dynamic: 'infra/traefik/dynamic',
  certScript: 'infra/traefik/make-local-cert.sh',
} as const;

export interface EntryPoint {
  address: string;
  http?: {
    redirections?: { entryPoint?: { to?: string; scheme?: string; permanent?: boolean } };
    tls?: { certResolver?: string } | null;
  };
}

export interface TraefikStatic {
  entryPoints: Record<string, EntryPoint>;
  providers: { file?: { directory?: string; filename?: string; watch?: boolean }; docker?: unknown; swarm?: unknown };
  api?: { dashboard?: boolean; insecure?: boolean };
  ping?: { entryPoint?: string };
  metrics?: { prometheus?: { entryPoint?: string } };
  log?: { format?: string };
  accessLog?: { format?: string; filePath?: string; fields?: { defaultMode?: string; headers?: { defaultMode?: string; names?: Record<string, string> } } };
  certificatesResolvers?: Record<string, { acme?: { email?: string; storage?: string; tlsChallenge?: unknown; httpChallenge?: { entryPoint?: string } } }>;
}

export interface Router {
  entryPoints?: string[];
  rule: string;
  service: string;
  middlewares?: string[];
  priority?: number;
  tls?: { certResolver?: string; options?: string } | null;
}

export interface Middleware {
  forwardAuth?: { address: string; trustForwardHeader?: boolean; authResponseHeaders?: string[] };
  headers?: Record<string, unknown>;
  [kind: string]: unknown;
}

export interface Service {
  loadBalancer?: { servers?: { url: string }[] };
}

export interface TraefikDynamic {
  http?: { routers?: Record<string, Router>; middlewares?: Record<string, Middleware>; services?: Record<string, Service> };
  tls?: {
    stores?: Record<string, { defaultCertificate?: { certFile: string; keyFile: string } }>;
    options?: Record<string, { minVersion?: string }>;
    certificates?: { certFile: string; keyFile: string }[];
  };
}

export const traefikStatic = readRepoYaml<TraefikStatic>(traefikFiles.static);

/** The port of an entry point's address (`:443`, `0.0.0.0:443`). */
export function entryPointPort(name: string): number {
  const address = traefikStatic.entryPoints[name]?.address;
  const port = Number(address?.split(':').at(-1));
  if (!Number.isInteger(port)) throw new Error(`entry point ${name} has no port in ${address}`);
  return port;
}

/**
 * Traefik's rendering of a file-provider file, which is a Go template (with sprig), limited to
 * what the Warren files use: `{{ env "NAME" }}`, `| default "value"`, and `{{ $var := … }}` /
 * `{{ $var }}`. Anything else throws, so a construct this cannot check is never waved through.
 */
export function renderTraefikTemplate(text: string, env: Record<string, string | undefined> = {}): string {
  const variables = new Map<string, string>();
  const evaluate = (expression: string): string => {
    const pipeline = expression.split('|').map((part) => part.trim());
    let value: string;
    const [head = '', ...filters] = pipeline;
    const envCall = /^env "([A-Za-z_][A-Za-z0-9_]*)"$/.exec(head);
    const variable = /^\$([A-Za-z_]\w*)$/.exec(head);
    if (envCall) value = env[envCall[1] ?? ''] ?? '';
    else if (variable) {
      const known = variables.get(variable[1] ?? '');
      if (known === undefined) throw new Error(`template variable $${variable[1]} used before it is set`);
      value = known;
    } else throw new Error(`unsupported template expression {{ ${expression} }}`);
    for (const filter of filters) {
      const fallback = /^default "([^"]*)"$/.exec(filter);
      if (!fallback) throw new Error(`unsupported template function ${filter}`);
      if (value === '') value = fallback[1] ?? '';
    }
    return value;
  };
  return text.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_match, body: string) => {
    const assignment = /^\$([A-Za-z_]\w*)\s*:=\s*(.+)$/.exec(body);
    if (assignment) {
      variables.set(assignment[1] ?? '', evaluate(assignment[2] ?? ''));
      return '';
    }
    return evaluate(body);
  });
}

/** The names of the dynamic configuration files, as the file provider would read them. */
export function dynamicFileNames(): string[] {
  return readdirSync(repoPath(traefikFiles.dynamic))
    .filter((name) => /\.(ya?ml)$/.test(name))
    .sort();
}

/**
 * The dynamic configuration as Traefik assembles it from every file in the directory, rendered
 * with `env`; `duplicates` lists what two files define (Traefik drops such an element).
 */
export function loadTraefikDynamic(env: Record<string, string | undefined> = {}): { config: Required<Pick<TraefikDynamic, 'tls'>> & { http: Required<NonNullable<TraefikDynamic['http']>> }; duplicates: string[] } {
  const http = { routers: {} as Record<string, Router>, middlewares: {} as Record<string, Middleware>, services: {} as Record<string, Service> };
  let tls: NonNullable<TraefikDynamic['tls']> = {};
  const duplicates: string[] = [];
  for (const name of dynamicFileNames()) {
    const document = (parse(renderTraefikTemplate(readRepoFile(posix.join(traefikFiles.dynamic, name)), env)) ?? {}) as TraefikDynamic;
    for (const kind of ['routers', 'middlewares', 'services'] as const) {
      for (const [key, value] of Object.entries(document.http?.[kind] ?? {})) {
        if (key in http[kind]) duplicates.push(`http.${kind}.${key}`);
        (http[kind] as Record<string, unknown>)[key] = value;
      }
    }
    if (document.tls) tls = { ...tls, ...document.tls };
  }
  return { config: { http, tls }, duplicates };
}

export interface ParsedRule {
  hosts: string[];
  paths: string[];
  pathPrefixes: string[];
}

/** The Host, Path and PathPrefix matchers of a router rule. */
export function parseRule(rule: string): ParsedRule {
  const values = (matcher: string) => [...rule.matchAll(new RegExp(`\\b${matcher}\\(\`([^\`]*)\`\\)`, 'g'))].map((match) => match[1] ?? '');
  return { hosts: values('Host'), paths: values('Path'), pathPrefixes: values('PathPrefix') };
}

/** Whether a rule's path matchers let a request for `path` through (no path matcher: all do). */
export function ruleMatchesPath(rule: ParsedRule, path: string): boolean {
  if (rule.paths.length === 0 && rule.pathPrefixes.length === 0) return true;
  return rule.paths.includes(path) || rule.pathPrefixes.some((prefix) => path.startsWith(prefix));
}
