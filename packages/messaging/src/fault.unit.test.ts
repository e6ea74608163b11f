import { afterEach, describe, expect, it } from 'vitest';
import { injectedFault } from './fault.ts';

describe('injectedFault', () => {
  afterEach(() => {
    delete process.env['WARREN_FAULT'];
  });

  it('fails the first attempt on the named queue only', () => {
    process.env['WARREN_FAULT'] = 'transient:audit.event-log';
    expect(() => injectedFault('audit.event-log', 1)).toThrow(/injected transient fault/);
    expect(() => injectedFault('audit.event-log', 2)).not.toThrow();
    expect(() => injectedFault('audit.event-log-other', 1)).not.toThrow();
  });

  it('fails the first n attempts with a count', () => {
    process.env['WARREN_FAULT'] = 'transient:audit.event-log:3';
    expect(() => injectedFault('audit.event-log', 3)).toThrow();
    expect(() => injectedFault('audit.event-log', 4)).not.toThrow();
  });
});
