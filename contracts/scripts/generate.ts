// Writes the JSON Schema documents derived from the contract into generated/json-schema/.
// They are checked in; a test fails when they drift from the definitions.
import { mkdir, writeFile } from 'node:fs/promises';
import { jsonSchemas } from '../src/json-schema.ts';

const directory = new URL('../generated/json-schema/', import.meta.url);
await mkdir(directory, { recursive: true });
for (const [name, document] of Object.entries(jsonSchemas())) {
  await writeFile(new URL(name, directory), `${JSON.stringify(document, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(jsonSchemas()).length} JSON Schema documents`);
