import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { isSeq, parse, type Tags } from 'yaml';
import { readRepoFile, repoPath } from './repo-files.ts';

export const blueprintDirectory = 'infra/authentik/blueprints';

/** One of authentik's YAML tags (`!KeyOf`, `!Find`, `!Env`, `!Format`…), unresolved. */
export class BlueprintTag {
  readonly name: string;
  readonly args: unknown[];

  constructor(name: string, args: unknown[]) {
    this.name = name;
    this.args = args;
  }
}

const scalarTags = ['KeyOf', 'Env', 'Context', 'File', 'Index', 'Value', 'ParseJSON'];
const sequenceTags = ['Find', 'FindObject', 'Format', 'If', 'Condition', 'Env', 'Context', 'File', 'Enumerate', 'AtIndex'];

/** The tags as the `yaml` package parses them: each becomes a BlueprintTag with its arguments. */
export const blueprintTags: Tags = [
  ...scalarTags.map((name) => ({ tag: `!${name}`, resolve: (value: string) => new BlueprintTag(name, [value]) })),
  ...sequenceTags.map((name) => ({
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (value: unknown) => new BlueprintTag(name, isSeq(value) ? value.toJSON() : []),
  })),
];

export interface BlueprintEntry {
  model: string;
  id?: string;
  state?: string;
  identifiers?: Record<string, unknown>;
  attrs?: Record<string, unknown>;
}

export interface Blueprint {
  file: string;
  version: number;
  metadata?: { name: string; labels?: Record<string, string> };
  entries: BlueprintEntry[];
}

/** Every blueprint file of the repository, parsed with authentik's tags. */
export function loadBlueprints(): Blueprint[] {
  return readdirSync(repoPath(blueprintDirectory))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const file = posix.join(blueprintDirectory, name);
      return { file, ...(parse(readRepoFile(file), { customTags: blueprintTags }) as Omit<Blueprint, 'file'>) };
    });
}

/** Every tag in a parsed value, nested ones included, depth first. */
export function tagsIn(value: unknown): BlueprintTag[] {
  if (value instanceof BlueprintTag) return [value, ...value.args.flatMap(tagsIn)];
  if (Array.isArray(value)) return value.flatMap(tagsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(tagsIn);
  return [];
}

/** A reference left by resolve(): to an entry of the same blueprint, or to a looked-up object. */
export type Reference = { keyOf: string } | { find: string; where: Record<string, unknown> };

/**
 * A value as authentik would resolve it with this environment: `!Env` reads `env` (or its
 * default), `!Format` applies Python's `%s`; `!KeyOf` and `!Find` become References. Other tags
 * throw, so one the Warren blueprints start using is checked before it is trusted.
 */
export function resolve(value: unknown, env: Record<string, string | undefined>): unknown {
  if (value instanceof BlueprintTag) {
    const args = value.args.map((arg) => resolve(arg, env));
    switch (value.name) {
      case 'Env': {
        const [name, fallback = null] = args;
        return env[String(name)] || fallback;
      }
      case 'Format': {
        const [format, ...rest] = args;
        let index = 0;
        return String(format).replace(/%[s%]/g, (token) => (token === '%%' ? '%' : String(rest[index++])));
      }
      case 'KeyOf':
        return { keyOf: String(args[0]) } satisfies Reference;
      case 'Find': {
        const [model, ...conditions] = args;
        return { find: String(model), where: Object.fromEntries(conditions as [string, unknown][]) } satisfies Reference;
      }
      default:
        throw new Error(`the tests do not resolve !${value.name}`);
    }
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, env)]));
  return value;
}

/** An entry's identifiers and attrs merged (as authentik creates it), resolved with `env`. */
export function resolvedEntry(entry: BlueprintEntry, env: Record<string, string | undefined>): Record<string, unknown> {
  return resolve({ ...entry.identifiers, ...entry.attrs }, env) as Record<string, unknown>;
}

export function isKeyOf(value: unknown): value is { keyOf: string } {
  return typeof value === 'object' && value !== null && typeof (value as { keyOf?: unknown }).keyOf === 'string';
}

export function isFind(value: unknown): value is { find: string; where: Record<string, unknown> } {
  return typeof value === 'object' && value !== null && typeof (value as { find?: unknown }).find === 'string';
}
