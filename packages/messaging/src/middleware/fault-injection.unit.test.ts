import { describe, expect, it } from 'vitest';
import { deliveryOf, itemCreatedEvent } from '../pipeline/delivery.test-support.ts';
import { faultInjection } from './fault-injection.ts';

describe('fault injection', () => {
  it('calls its hooks before the handler and after it resolved', async () => {
    const calls: string[] = [];
    const stage = faultInjection({ beforeHandle: () => calls.push('before'), afterCommit: () => calls.push('after') });
    await stage(async () => {
      calls.push('handler');
      return { result: 'applied' };
    })(deliveryOf(itemCreatedEvent()));
    expect(calls).toEqual(['before', 'handler', 'after']);
  });

  it('lets a hook fail the delivery before the handler runs', async () => {
    let ran = false;
    const stage = faultInjection({
      beforeHandle: () => {
        throw new Error('injected');
      },
    });
    await expect(stage(async () => ((ran = true), { result: 'applied' }))(deliveryOf(itemCreatedEvent()))).rejects.toThrow('injected');
    expect(ran).toBe(false);
  });
});
