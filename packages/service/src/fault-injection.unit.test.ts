import { describe, expect, it } from 'vitest';
import { toDelivery } from '@warren/messaging';
import { faultInjectionFrom, transientFault } from './fault-injection.ts';

const deliveryOn = (queue: string, attempt: number) =>
  toDelivery(queue, {
    content: Buffer.from('{}'),
    fields: { exchange: '', routingKey: queue, redelivered: false },
    properties: { messageId: 'm-1', headers: { 'x-warren-attempt': attempt } },
  });

describe('fault injection from the environment', () => {
  it('arms nothing when no setting is present', () => {
    expect(faultInjectionFrom({})).toEqual({});
  });

  it('fails the first attempt on the named queue only', () => {
    const { consumer } = faultInjectionFrom({ WARREN_FAULT: 'transient:audit.event-log' });
    expect(() => consumer?.beforeHandle?.(deliveryOn('audit.event-log', 1))).toThrow(/injected transient fault/);
    expect(() => consumer?.beforeHandle?.(deliveryOn('audit.event-log', 2))).not.toThrow();
    expect(() => consumer?.beforeHandle?.(deliveryOn('audit.event-log-other', 1))).not.toThrow();
  });

  it('fails the first n attempts with a count', () => {
    expect(transientFault('transient:audit.event-log:3')).toEqual({ queue: 'audit.event-log', attempts: 3 });
    const { consumer } = faultInjectionFrom({ WARREN_FAULT: 'transient:audit.event-log:3' });
    expect(() => consumer?.beforeHandle?.(deliveryOn('audit.event-log', 3))).toThrow();
    expect(() => consumer?.beforeHandle?.(deliveryOn('audit.event-log', 4))).not.toThrow();
  });

  it('ignores a setting it cannot read', () => {
    expect(transientFault('transient:')).toBeUndefined();
    expect(transientFault('permanent:audit.event-log')).toBeUndefined();
    expect(transientFault('transient:audit.event-log:x')).toBeUndefined();
  });
});
