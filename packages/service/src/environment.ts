import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

/** The repository (or image) root: where the shared `.env` lives. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface EnvironmentSources {
  /** The environment to complete; changed in place. */
  env: NodeJS.ProcessEnv;
  /** The service the process runs (`catalog`), whose `CATALOG_*` variables win; none for tools. */
  service?: string | undefined;
  /** `.env` files, most specific first: a variable is taken from the first file that has it. */
  files: readonly string[];
}

/** The prefix of a service's own variables: `catalog` → `CATALOG_`, `order-history` → `ORDER_HISTORY_`. */
export function servicePrefix(service: string): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_`;
}

/**
 * Completes `env` the way every Warren entry point does, and returns the files it read:
 * 1. each `.env` file of `files` that exists fills in the variables the environment lacks (the
 *    environment always wins; among files, the first listed wins);
 * 2. for `service`, a variable prefixed with its name (`CATALOG_PORT`) wins over the plain one
 *    (`PORT`), so one environment or one `.env` can configure several services.
 * `WARREN_DOTENV=false` in the environment skips step 1 (the test suite's processes set it, so a
 * developer's `.env` cannot change what the tests exercise). Throws on a file it cannot parse.
 */
export function completeEnvironment({ env, service, files }: EnvironmentSources): string[] {
  const read: string[] = [];
  if (env['WARREN_DOTENV'] !== 'false') {
    for (const file of files) {
      if (!existsSync(file)) continue;
      const values = parseEnv(readFileSync(file, 'utf8'));
      for (const [name, value] of Object.entries(values)) env[name] ??= value;
      read.push(file);
    }
  }
  if (service) {
    const prefix = servicePrefix(service);
    for (const [name, value] of Object.entries(env)) {
      if (name.startsWith(prefix) && name.length > prefix.length && value !== undefined) env[name.slice(prefix.length)] = value;
    }
  }
  return read;
}

/** The Warren service whose package folder `cwd` is (`apps/catalog` → `catalog`), if any. */
export function serviceOfFolder(cwd: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof manifest.name === 'string' && manifest.name.startsWith('@warren/') ? manifest.name.slice('@warren/'.length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a service process does before anything reads its settings (the `@warren/service/register`
 * preload): the service's own `.env` (its folder) first, then the repository's, then the
 * `<SERVICE>_` prefixed variables.
 */
export function loadServiceEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string[] {
  return completeEnvironment({ env, service: serviceOfFolder(cwd), files: [join(cwd, '.env'), join(repositoryRoot, '.env')] });
}

/** What a tool run from the repository root does (`npm start`'s preflight, `warren`): the root `.env`. */
export function loadToolEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  return completeEnvironment({ env, files: [join(repositoryRoot, '.env')] });
}
