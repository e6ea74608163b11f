import { describe, expect, it } from 'vitest';
import { camelCase, envPrefix, eventExportName, eventFileName, eventTypeProblem, handlerName, serviceNameProblem } from './names.ts';
import { parseOptions, UsageError } from './options.ts';

describe('service names', () => {
  it.each(['shipping', 'gift-cards', 'billing2', 'a1-b2'])('accepts %s', (name) => {
    expect(serviceNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'required'],
    ['Shipping', 'lowercase'],
    ['2fast', 'starting with a letter'],
    ['gift_cards', 'lowercase letters, digits and single dashes'],
    ['gift--cards', 'single dashes'],
    ['shipping-', 'single dashes'],
    ['ship ping', 'single dashes'],
    ['../etc', 'single dashes'],
    ['a'.repeat(31), 'at most 30'],
  ])('refuses %j, saying why', (name, reason) => {
    expect(serviceNameProblem(name)).toContain(reason);
  });

  it.each(['cli', 'console', 'e2e', 'contracts', 'testing', 'postgres', 'traefik', 'auth', 'events'])('refuses the reserved word %s', (name) => {
    expect(serviceNameProblem(name)).toBe(`"${name}" is not a valid service name: it is reserved`);
  });

  it('derives the names of the generated code', () => {
    expect(camelCase('gift-cards')).toBe('giftCards');
    expect(envPrefix('gift-cards')).toBe('GIFT_CARDS');
    expect(eventExportName('gift-card.issued', 1)).toBe('giftCardIssuedV1');
    expect(eventFileName('gift-card.issued', 1)).toBe('gift-card-issued.v1.ts');
    expect(handlerName('item.created.v1')).toBe('item-created');
  });
});

describe('event types', () => {
  it('takes a type like item.created and refuses anything else', () => {
    expect(eventTypeProblem('shipment.created')).toBeUndefined();
    expect(eventTypeProblem('shipment')).toContain('must look like item.created');
    expect(eventTypeProblem('Shipment.Created')).toContain('must look like item.created');
    expect(eventTypeProblem('shipment.created.v1')).toContain('without its version');
  });
});

describe('the command line', () => {
  it('reads a name, repeated or listed --consumes, and --publishes', () => {
    expect(parseOptions(['shipping', '--consumes', 'item.created.v1', 'stock.adjusted', '--consumes=x.y', '--publishes', 'shipment.created'])).toEqual({
      name: 'shipping',
      consumes: ['item.created.v1', 'stock.adjusted', 'x.y'],
      publishes: 'shipment.created',
      dryRun: false,
      help: false,
    });
  });

  it('refuses an unknown option, a missing value and two names', () => {
    expect(() => parseOptions(['shipping', '--force'])).toThrow(new UsageError('unknown option --force'));
    expect(() => parseOptions(['shipping', '--publishes'])).toThrow(new UsageError('--publishes needs a value'));
    expect(() => parseOptions(['shipping', 'billing'])).toThrow(UsageError);
  });
});
