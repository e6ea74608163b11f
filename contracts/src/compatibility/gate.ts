import { schemaIncompatibilities, type Incompatibility, type JsonSchema } from './compare.ts';

const consequence = {
  tightened: 'new readers would reject archived events',
  loosened: 'old readers would reject new events',
  changed: 'old readers would reject new events and new readers archived ones',
} as const;

function describe(incompatibility: Incompatibility): string {
  return `  - ${incompatibility.path}: ${incompatibility.change}; ${consequence[incompatibility.direction]}`;
}

function nextVersion(routingKey: string): string {
  return routingKey.replace(/\.v(\d+)$/, (_match, version: string) => `.v${Number(version) + 1}`);
}

/**
 * The release gate: every released event version (by routing key, its schema as frozen under
 * `released/`) must still be defined, every defined one released, and each current schema
 * compatible both ways with its released one. Returns one message per problem, saying what broke
 * and what to do instead; empty when the gate passes.
 */
export function releaseGateProblems(released: ReadonlyMap<string, JsonSchema>, current: ReadonlyMap<string, JsonSchema>): string[] {
  const problems: string[] = [];
  for (const [routingKey, frozen] of released) {
    const schema = current.get(routingKey);
    if (schema === undefined) {
      problems.push(`${routingKey} is released but no longer defined. Released versions are not deleted; to retire one, move released/${routingKey}.json to released/retired/ (contracts/README.md, "Retiring a version").`);
      continue;
    }
    const incompatibilities = schemaIncompatibilities(frozen, schema);
    if (incompatibilities.length > 0) {
      problems.push(
        [
          `${routingKey} is released and frozen (released/${routingKey}.json), but its current schema is not compatible with it both ways:`,
          ...incompatibilities.map(describe),
          `Undo the change to ${routingKey} and define ${nextVersion(routingKey)} with it instead (contracts/README.md, "Changing an event").`,
        ].join('\n'),
      );
    }
  }
  for (const routingKey of current.keys()) {
    if (!released.has(routingKey)) problems.push(`${routingKey} is defined but not released: run npm run release -w contracts to freeze its schema in released/${routingKey}.json (contracts/README.md, "Adding an event").`);
  }
  return problems;
}
