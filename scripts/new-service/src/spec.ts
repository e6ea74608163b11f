import { camelCase, envPrefix, eventExportName, eventFileName, handlerName, pascalCase, titleCase } from './names.ts';

/** An event the new service consumes, resolved against the contracts' registry. */
export interface ConsumedEvent {
  routingKey: string;
  /** The export of @warren/contracts holding its definition (`itemCreatedV1`). */
  exportName: string;
  /** Its file in contracts/src/events (`item-created.v1.ts`). */
  module: string;
  /** `<service>.<handler>`: its queue, declared in contracts/src/consumers.ts. */
  queue: string;
  /** A sample `data` that satisfies its schema, for the generated tests. */
  sample: Record<string, unknown>;
}

/** Everything the templates and edits need to know about the service being generated. */
export interface ServiceSpec {
  name: string;
  camel: string;
  pascal: string;
  title: string;
  envPrefix: string;
  port: number;
  event: { type: string; version: 1; routingKey: string; exportName: string; fileName: string };
  consumes: ConsumedEvent[];
  http: { file: string; request: string; response: string; responseType: string };
}

/** Derives the names of everything generated for `name`. */
export function serviceSpec({ name, port, publishes, consumes }: { name: string; port: number; publishes: string; consumes: ConsumedEvent[] }): ServiceSpec {
  const pascal = pascalCase(name);
  const camel = camelCase(name);
  return {
    name,
    camel,
    pascal,
    title: titleCase(name),
    envPrefix: envPrefix(name),
    port,
    event: { type: publishes, version: 1, routingKey: `${publishes}.v1`, exportName: eventExportName(publishes, 1), fileName: eventFileName(publishes, 1) },
    consumes,
    http: { file: `${name}.ts`, request: `create${pascal}EntryRequest`, response: `${camel}EntryResponse`, responseType: `${pascal}EntryResponse` },
  };
}

/** The queue of a consumed routing key: `shipping` + `item.created.v1` → `shipping.item-created`. */
export function consumerQueueName(service: string, routingKey: string): string {
  return `${service}.${handlerName(routingKey)}`;
}
