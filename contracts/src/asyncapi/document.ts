import packageJson from '../../package.json' with { type: 'json' };
import type { ConsumerQueue } from '../consumers.ts';
import { consumerQueues } from '../consumers.ts';
import type { EventDefinition } from '../define-event.ts';
import { eventHeadersSchema } from '../headers.ts';
import { eventMessageSchema } from '../json-schema.ts';
import type { EventProducer } from '../producers.ts';
import { eventProducers } from '../producers.ts';
import { eventDefinitions } from '../registry.ts';
import type { ServiceName } from '../services.ts';
import { z } from '../zod.ts';
import {
  correlationId,
  eventMessageTrait,
  eventsExchange,
  messageBinding,
  queueChannelBinding,
  receiveOperationBinding,
  routingKeyChannelBinding,
  sendOperationBinding,
} from './amqp-bindings.ts';
import { topicMatches } from './topic.ts';

/** An AsyncAPI 3.0 document, as plain JSON. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: 'application/json';
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
  components: Record<string, Record<string, unknown>>;
}

type Json = Record<string, unknown>;

// AsyncAPI's default schema format is a superset of JSON Schema draft-07; zod emits the same
// keywords for the event schemas at draft-07 as at 2020-12 (generated/json-schema/).
function payloadSchema(schema: z.ZodType): Json {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' });
  return rest;
}

function definitionOf(routingKey: string): EventDefinition {
  const definition = eventDefinitions.find((candidate) => candidate.routingKey === routingKey);
  if (!definition) throw new Error(`${routingKey} is declared in the topology but defined by no event in @warren/contracts`);
  return definition;
}

function eventsBoundTo(queue: ConsumerQueue): EventDefinition[] {
  return eventDefinitions.filter((definition) => queue.bindings.some((key) => topicMatches(key, definition.routingKey)));
}

function messageRefs(definitions: readonly EventDefinition[]): Json {
  return Object.fromEntries(definitions.map((definition) => [definition.routingKey, { $ref: `#/components/messages/${definition.routingKey}` }]));
}

function routingKeyChannel(definition: EventDefinition): Json {
  return {
    address: definition.routingKey,
    title: definition.routingKey,
    description: `Routing key ${definition.routingKey} on the topic exchange ${eventsExchange.name}. ${definition.description}`,
    messages: messageRefs([definition]),
    bindings: routingKeyChannelBinding(),
  };
}

function queueChannel(queue: ConsumerQueue): Json {
  return {
    address: queue.queue,
    title: queue.queue,
    description: `The ${queue.service} consumer's quorum queue, bound to ${eventsExchange.name} with ${queue.bindings.join(', ')}; rejected messages are parked in ${queue.queue}.dlq.`,
    messages: messageRefs(eventsBoundTo(queue)),
    bindings: queueChannelBinding(queue.queue),
    'x-bindings': queue.bindings.map((routingKey) => ({ exchange: eventsExchange.name, routingKey })),
  };
}

function message(definition: EventDefinition): Json {
  return {
    name: definition.routingKey,
    title: `${definition.type} v${definition.version}`,
    summary: definition.description,
    description: `Subject: ${definition.subject}. The payload is the whole envelope; \`data\` is the event's own schema.`,
    payload: { $ref: `#/components/schemas/${definition.routingKey}` },
    bindings: messageBinding(definition.routingKey),
    traits: [{ $ref: '#/components/messageTraits/event' }],
  };
}

function sendOperations(producer: EventProducer): [string, Json][] {
  return producer.publishes.map((routingKey) => [
    `${producer.service}.send.${routingKey}`,
    {
      action: 'send',
      title: `${producer.service} publishes ${routingKey}`,
      summary: 'Published from the transactional outbox with publisher confirms.',
      channel: { $ref: `#/channels/${routingKey}` },
      messages: [{ $ref: `#/channels/${routingKey}/messages/${routingKey}` }],
      bindings: sendOperationBinding(),
    },
  ]);
}

function receiveOperation(queue: ConsumerQueue): [string, Json] {
  return [
    `${queue.queue}.receive`,
    {
      action: 'receive',
      title: `${queue.service} consumes ${queue.queue}`,
      summary: 'Applied once in effect (inbox); transient failures retried through delay queues, permanent ones dead-lettered.',
      channel: { $ref: `#/channels/${queue.queue}` },
      messages: eventsBoundTo(queue).map((definition) => ({ $ref: `#/channels/${queue.queue}/messages/${definition.routingKey}` })),
      bindings: receiveOperationBinding(),
    },
  ];
}

function buildDocument(title: string, description: string, producers: readonly EventProducer[], queues: readonly ConsumerQueue[]): AsyncApiDocument {
  const sent = producers.flatMap((producer) => producer.publishes.map(definitionOf));
  const received = queues.flatMap(eventsBoundTo);
  const carried = eventDefinitions.filter((definition) => sent.includes(definition) || received.includes(definition));
  return {
    asyncapi: '3.0.0',
    info: { title, version: packageJson.version, description },
    defaultContentType: 'application/json',
    channels: Object.fromEntries([
      ...sent.map((definition): [string, Json] => [definition.routingKey, routingKeyChannel(definition)]),
      ...queues.map((queue): [string, Json] => [queue.queue, queueChannel(queue)]),
    ]),
    operations: Object.fromEntries([...producers.flatMap(sendOperations), ...queues.map(receiveOperation)]),
    components: {
      messages: Object.fromEntries(carried.map((definition) => [definition.routingKey, message(definition)])),
      schemas: {
        eventHeaders: payloadSchema(eventHeadersSchema),
        ...Object.fromEntries(carried.map((definition) => [definition.routingKey, payloadSchema(eventMessageSchema(definition))])),
      },
      messageTraits: { event: eventMessageTrait },
      correlationIds: { correlationId },
    },
  };
}

/**
 * The AsyncAPI 3.0 document of Warren's events, derived from the contract (event definitions,
 * `eventProducers`, `consumerQueues`): without `service`, the whole system; with it, the part that
 * service owns (the events it sends, the queues it receives from, and the messages they carry).
 * Throws for a service that neither publishes nor consumes.
 */
export function asyncApiDocument({ service }: { service?: ServiceName } = {}): AsyncApiDocument {
  if (service === undefined) {
    return buildDocument('Warren events', 'Every event Warren publishes, on which routing key, by which service, and every consumer queue.', eventProducers, consumerQueues);
  }
  const producers = eventProducers.filter((producer) => producer.service === service);
  const queues = consumerQueues.filter((queue) => queue.service === service);
  if (producers.length === 0 && queues.length === 0) throw new Error(`${service} neither publishes nor consumes events in @warren/contracts`);
  return buildDocument(`Warren ${service} events`, `The events ${service} publishes and the queues it consumes: its part of the Warren events document.`, producers, queues);
}
