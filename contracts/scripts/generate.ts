// Writes the documents derived from the contract: JSON Schema into generated/json-schema/ and
// AsyncAPI into generated/asyncapi/. They are checked in; tests fail when they drift from the
// definitions.
import { mkdir, writeFile } from 'node:fs/promises';
import { asyncApiFiles } from '../src/asyncapi/files.ts';
import { jsonSchemas } from '../src/json-schema.ts';

async function writeAll(folder: string, documents: Record<string, unknown>): Promise<void> {
  const directory = new URL(`../generated/${folder}/`, import.meta.url);
  await mkdir(directory, { recursive: true });
  for (const [name, document] of Object.entries(documents)) {
    await writeFile(new URL(name, directory), `${JSON.stringify(document, null, 2)}\n`);
  }
  console.log(`wrote ${Object.keys(documents).length} documents into generated/${folder}/`);
}

await writeAll('json-schema', jsonSchemas());
await writeAll('asyncapi', asyncApiFiles());
