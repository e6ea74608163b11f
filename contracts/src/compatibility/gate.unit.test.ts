import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../json-schema.ts';
import { eventDefinitions } from '../registry.ts';
import type { JsonSchema } from './compare.ts';
import { releaseGateProblems } from './gate.ts';

const releasedDirectory = new URL('../../released/', import.meta.url);

async function releasedSchemas(): Promise<Map<string, JsonSchema>> {
  const files = (await readdir(releasedDirectory, { withFileTypes: true })).filter((entry) => entry.isFile() && entry.name.endsWith('.json'));
  const entries = await Promise.all(
    files.map(async (file): Promise<[string, JsonSchema]> => [file.name.replace(/\.json$/, ''), JSON.parse(await readFile(new URL(file.name, releasedDirectory), 'utf8')) as JsonSchema]),
  );
  return new Map(entries);
}

function currentSchemas(): Map<string, JsonSchema> {
  const documents = jsonSchemas();
  return new Map(eventDefinitions.map((definition) => [definition.routingKey, documents[`${definition.routingKey}.json`] as JsonSchema]));
}

describe('the release gate', () => {
  it('holds every released event version to its frozen schema, and every defined one is released', async () => {
    const problems = releaseGateProblems(await releasedSchemas(), currentSchemas());
    expect(problems, problems.join('\n\n')).toEqual([]);
  });

  it('fails a breaking change to a released version, saying what broke and to define the next version', async () => {
    const released = await releasedSchemas();
    const changed = structuredClone(currentSchemas().get('item.created.v1')) as { properties: { data: { properties: { name: { maxLength: number } }; required: string[] } } };
    changed.properties.data.properties.name.maxLength = 100;
    changed.properties.data.required.pop();
    const [problem, ...others] = releaseGateProblems(released, new Map([...currentSchemas(), ['item.created.v1', changed]]));
    expect(others).toEqual([]);
    expect(problem).toContain('item.created.v1 is released and frozen (released/item.created.v1.json)');
    expect(problem).toContain('data.name: maxLength tightened from 200 to 100; new readers would reject archived events');
    expect(problem).toContain('required field ["createdAt"] removed; old readers would reject new events');
    expect(problem).toContain('define item.created.v2 with it instead');
  });

  it('lets descriptions change', async () => {
    const described = { ...(currentSchemas().get('stock.adjusted.v1') as object), description: 'Reworded.' };
    expect(releaseGateProblems(await releasedSchemas(), new Map([...currentSchemas(), ['stock.adjusted.v1', described]]))).toEqual([]);
  });

  it('fails a released version that is no longer defined, and a defined one not released', () => {
    const schema = { type: 'object' };
    expect(releaseGateProblems(new Map([['item.deleted.v1', schema]]), new Map())).toEqual([expect.stringContaining('item.deleted.v1 is released but no longer defined')]);
    expect(releaseGateProblems(new Map(), new Map([['item.deleted.v1', schema]]))).toEqual([expect.stringContaining('run npm run release -w contracts')]);
  });
});
