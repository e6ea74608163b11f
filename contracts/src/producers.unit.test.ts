import { describe, expect, it } from 'vitest';
import { consumerQueues, eventDefinitions, eventProducers, itemCreatedV1, itemCreatedV2, messagingServices, publishedBy, stockAdjustedV1 } from './index.ts';

describe('event producers', () => {
  it('give every defined event version exactly one publishing service', () => {
    for (const definition of eventDefinitions) {
      const producers = eventProducers.filter((producer) => (producer.publishes as readonly string[]).includes(definition.routingKey));
      expect(producers.map((producer) => producer.service), definition.routingKey).toHaveLength(1);
    }
  });

  it('publish only defined event versions, each service declared once', () => {
    const keys = new Set<string>(eventDefinitions.map((definition) => definition.routingKey));
    for (const producer of eventProducers) for (const key of producer.publishes) expect(keys.has(key), `${producer.service} publishes ${key}`).toBe(true);
    const services = eventProducers.map((producer) => producer.service);
    expect(new Set(services).size).toBe(services.length);
  });

  it('say what each service publishes', () => {
    expect(publishedBy('catalog')).toEqual([itemCreatedV1.routingKey, itemCreatedV2.routingKey]);
    expect(publishedBy('inventory')).toEqual([stockAdjustedV1.routingKey]);
    expect(publishedBy('audit')).toEqual([]);
  });

  it('with the consumer queues, name every service of the topology once', () => {
    // Producers first, then consumers only; a generated service (npm run new:service) joins them.
    expect(messagingServices()).toEqual(expect.arrayContaining(['catalog', 'inventory', 'audit']));
    expect(messagingServices().indexOf('inventory')).toBeLessThan(messagingServices().indexOf('audit'));
    expect(new Set(messagingServices()).size).toBe(messagingServices().length);
    for (const declared of consumerQueues) expect(messagingServices()).toContain(declared.service);
  });
});
