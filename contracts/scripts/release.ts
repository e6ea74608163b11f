// Freezes the JSON Schema of every defined event version not yet released into released/
// <routing key>.json. A released file is never overwritten: the release gate (a unit test) holds
// the definitions to it from then on.
import { mkdir, writeFile } from 'node:fs/promises';
import { jsonSchemas } from '../src/json-schema.ts';
import { eventDefinitions } from '../src/registry.ts';

const directory = new URL('../released/', import.meta.url);
await mkdir(directory, { recursive: true });
const schemas = jsonSchemas();
for (const { routingKey } of eventDefinitions) {
  try {
    await writeFile(new URL(`${routingKey}.json`, directory), `${JSON.stringify(schemas[`${routingKey}.json`], null, 2)}\n`, { flag: 'wx' });
    console.log(`released ${routingKey}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    console.log(`${routingKey} was released before: left as it is`);
  }
}
