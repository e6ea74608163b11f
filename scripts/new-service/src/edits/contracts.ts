import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';
import { appendToLiteral, ensureNamedImport, insertAfterLast } from '../text-edit.ts';

/**
 * Declares the service in @warren/contracts, each change additive: its event definition and HTTP
 * schemas (new files), exported from index.ts, in the registry, as a producer, and its consumer
 * queues. messagingServices() and the AsyncAPI files follow from these.
 */
export async function planContracts(plan: FilePlan, spec: ServiceSpec): Promise<void> {
  const { event, http, name, pascal } = spec;
  await plan.create(
    `contracts/src/events/${event.fileName}`,
    `import { z } from '../zod.ts';
import { defineEvent } from '../define-event.ts';
import { storableText } from '../text.ts';

export const ${event.exportName} = defineEvent({
  type: '${event.type}',
  version: 1,
  description: 'An entry was written to the ${name} service.',
  subject: 'the entry id',
  data: z
    .object({
      entryId: z.uuid(),
      note: storableText().min(1).max(500),
      createdAt: z.iso.datetime({ offset: true }),
    })
    .strict(),
});
`,
  );
  await plan.create(
    `contracts/src/http/${http.file}`,
    `import { z } from '../zod.ts';
import { storableText } from '../text.ts';

export const ${http.request} = z
  .object({
    note: storableText().trim().min(1).max(500),
  })
  .strict();
export type Create${pascal}EntryRequest = z.infer<typeof ${http.request}>;

export const ${http.response} = z.object({
  id: z.uuid(),
  note: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ${http.responseType} = z.infer<typeof ${http.response}>;
`,
  );
  const eventModule = `./events/${event.fileName}`;
  await plan.edit('contracts/src/index.ts', (text) => {
    const withEvent = insertAfterLast(text, /^export \{ \w+ \} from '\.\/events\//, `export { ${event.exportName} } from '${eventModule}';`, 'the event exports');
    return insertAfterLast(
      withEvent,
      /^export (type )?\{[^}]*\} from '\.\/http\/(?!pagination)/,
      `export { ${http.request}, ${http.response} } from './http/${http.file}';\nexport type { Create${pascal}EntryRequest, ${http.responseType} } from './http/${http.file}';`,
      'the HTTP schema exports',
    );
  });
  await plan.edit('contracts/src/registry.ts', (text) => appendToLiteral(ensureNamedImport(text, event.exportName, eventModule), 'export const eventDefinitions =', event.exportName));
  await plan.edit('contracts/src/producers.ts', (text) =>
    appendToLiteral(ensureNamedImport(text, event.exportName, eventModule), 'export const eventProducers =', `{ service: '${name}', publishes: [${event.exportName}.routingKey] }`),
  );
  await plan.edit('contracts/src/consumers.ts', (text) => {
    let edited = text;
    for (const consumed of spec.consumes) {
      edited = ensureNamedImport(edited, consumed.exportName, `./events/${consumed.module}`);
      edited = appendToLiteral(edited, 'export const consumerQueues =', `{ queue: '${consumed.queue}', service: '${name}', bindings: [${consumed.exportName}.routingKey] }`);
    }
    return edited;
  });
}
