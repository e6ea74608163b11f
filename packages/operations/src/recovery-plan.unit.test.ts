import { describe, expect, it } from 'vitest';
import { queuesOf, recoverySources, type Topology } from './recovery-plan.ts';

const topology: Topology = {
  queues: [
    { queue: 'inventory.item-created', service: 'inventory', bindings: ['item.created.v1', 'item.created.v2'] },
    { queue: 'audit.event-log', service: 'audit', bindings: ['#'] },
    { queue: 'billing.stock', service: 'billing', bindings: ['stock.*.v1'] },
  ],
  producers: [
    { service: 'catalog', publishes: ['item.created.v1', 'item.created.v2', 'item.renamed.v1'] },
    { service: 'inventory', publishes: ['stock.adjusted.v1'] },
  ],
};

describe('recoverySources', () => {
  it('reads every key a # binding takes from every producer', () => {
    expect(recoverySources('audit', topology)).toEqual([
      { queue: 'audit.event-log', producer: 'catalog', routingKeys: ['item.created.v1', 'item.created.v2', 'item.renamed.v1'] },
      { queue: 'audit.event-log', producer: 'inventory', routingKeys: ['stock.adjusted.v1'] },
    ]);
  });

  it('reads only the bound keys, from only the producers that publish them', () => {
    expect(recoverySources('inventory', topology)).toEqual([{ queue: 'inventory.item-created', producer: 'catalog', routingKeys: ['item.created.v1', 'item.created.v2'] }]);
    expect(recoverySources('billing', topology)).toEqual([{ queue: 'billing.stock', producer: 'inventory', routingKeys: ['stock.adjusted.v1'] }]);
  });

  it('has nothing for a service that consumes nothing', () => {
    expect(queuesOf('catalog', topology)).toEqual([]);
    expect(recoverySources('catalog', topology)).toEqual([]);
  });

  it('follows the declared topology by default', () => {
    const [inventory, ...others] = recoverySources('inventory');
    expect(others).toEqual([]);
    expect(inventory).toMatchObject({ queue: 'inventory.item-created', producer: 'catalog' });
    expect(inventory?.routingKeys).toContain('item.created.v1');
    expect(recoverySources('audit').map((source) => source.producer)).toEqual(['catalog', 'inventory']);
  });
});
