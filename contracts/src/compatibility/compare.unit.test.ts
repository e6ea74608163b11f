import { describe, expect, it } from 'vitest';
import { schemaIncompatibilities, type JsonSchema } from './compare.ts';

const object = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const closed = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}) => object(properties, { additionalProperties: false, ...extra });

// Per rule: the released schema, a current schema that must pass, and current schemas that must fail.
const rules: { rule: string; released: JsonSchema; passes: JsonSchema; fails: { current: JsonSchema; change: RegExp; direction: string }[] }[] = [
  {
    rule: 'required fields',
    released: closed({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['a', 'b'] }),
    passes: closed({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['b', 'a'] }),
    fails: [
      { current: closed({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['a'] }), change: /required field \["b"\] removed/, direction: 'loosened' },
      { current: closed({ a: { type: 'string' }, b: { type: 'string' }, c: { type: 'string' } }, { required: ['a', 'b', 'c'] }), change: /required field \["c"\] added/, direction: 'tightened' },
    ],
  },
  {
    rule: 'types',
    released: { type: ['string', 'null'] },
    passes: { type: ['null', 'string'], description: 'now documented' },
    fails: [
      { current: { type: 'integer' }, change: /type changed/, direction: 'changed' },
      { current: { type: ['string', 'null', 'number'] }, change: /type \["number"\] added/, direction: 'loosened' },
      { current: { type: 'string' }, change: /type \["null"\] removed/, direction: 'tightened' },
    ],
  },
  {
    rule: 'enum values',
    released: { type: 'string', enum: ['restock', 'damage'] },
    passes: { type: 'string', enum: ['damage', 'restock'] },
    fails: [
      { current: { type: 'string', enum: ['restock', 'damage', 'theft'] }, change: /enum value \["theft"\] added/, direction: 'loosened' },
      { current: { type: 'string', enum: ['restock'] }, change: /enum value \["damage"\] removed/, direction: 'tightened' },
    ],
  },
  {
    rule: 'formats',
    released: { type: 'string', format: 'uuid' },
    passes: { type: 'string', format: 'uuid', examples: ['01938a2e-7c4b-7d1a-9f3e-2b8c4d5e6f70'] },
    fails: [
      { current: { type: 'string', format: 'email' }, change: /format changed from "uuid" to "email"/, direction: 'changed' },
      { current: { type: 'string' }, change: /format changed from "uuid" to none/, direction: 'loosened' },
    ],
  },
  {
    rule: 'closed and open objects',
    released: object({ a: { type: 'string' } }),
    passes: object({ a: { type: 'string' }, b: { type: 'integer' } }),
    fails: [
      { current: closed({ a: { type: 'string' } }), change: /object closed/, direction: 'tightened' },
      { current: object({ a: { type: 'string' } }, { additionalProperties: { type: 'string' } }), change: /additionalProperties changed|schema changed/, direction: 'changed' },
    ],
  },
  {
    rule: 'fields of a closed object',
    released: closed({ a: { type: 'string' } }),
    passes: closed({ a: { type: 'string', title: 'A' } }),
    fails: [
      { current: closed({ a: { type: 'string' }, b: { type: 'string' } }), change: /field added to a closed object/, direction: 'loosened' },
      { current: object({ a: { type: 'string' } }), change: /object opened/, direction: 'loosened' },
    ],
  },
  {
    rule: 'maxLength and maximum',
    released: object({ name: { type: 'string', maxLength: 200 }, price: { type: 'integer', minimum: 0, maximum: 1000 } }),
    passes: object({ name: { type: 'string', maxLength: 200, description: 'display name' }, price: { type: 'integer', maximum: 1000, minimum: 0 } }),
    fails: [
      { current: object({ name: { type: 'string', maxLength: 100 }, price: { type: 'integer', minimum: 0, maximum: 1000 } }), change: /maxLength tightened from 200 to 100/, direction: 'tightened' },
      { current: object({ name: { type: 'string', maxLength: 200 }, price: { type: 'integer', minimum: 0, maximum: 5000 } }), change: /maximum loosened from 1000 to 5000/, direction: 'loosened' },
      { current: object({ name: { type: 'string' }, price: { type: 'integer', minimum: 0, maximum: 1000 } }), change: /maxLength loosened from 200 to none/, direction: 'loosened' },
      { current: object({ name: { type: 'string', maxLength: 200 }, price: { type: 'integer', minimum: 1, maximum: 1000 } }), change: /minimum tightened from 0 to 1/, direction: 'tightened' },
    ],
  },
  {
    rule: 'nested objects and arrays',
    released: closed({ data: closed({ lines: { type: 'array', items: closed({ sku: { type: 'string', maxLength: 64 } }) } }) }),
    passes: closed({ data: closed({ lines: { type: 'array', description: 'order lines', items: closed({ sku: { type: 'string', maxLength: 64 } }) } }) }),
    fails: [
      { current: closed({ data: closed({ lines: { type: 'array', items: closed({ sku: { type: 'string', maxLength: 32 } }) } }) }), change: /maxLength tightened from 64 to 32/, direction: 'tightened' },
      { current: closed({ data: closed({ lines: { type: 'array', items: closed({ sku: { type: 'number' } }) } }) }), change: /type changed/, direction: 'changed' },
    ],
  },
  {
    rule: 'keywords the gate does not reason about',
    released: { not: { type: 'null' } },
    passes: { not: { type: 'null' } },
    fails: [{ current: { not: { type: 'string' } }, change: /not changed \(the gate treats any change to it as breaking\)/, direction: 'changed' }],
  },
];

describe('schemaIncompatibilities', () => {
  for (const { rule, released, passes, fails } of rules) {
    it(`${rule}: passes a compatible change and names each breaking one`, () => {
      expect(schemaIncompatibilities(released, released)).toEqual([]);
      expect(schemaIncompatibilities(released, passes)).toEqual([]);
      for (const { current, change, direction } of fails) {
        const found = schemaIncompatibilities(released, current);
        expect(found, JSON.stringify(current)).toContainEqual(expect.objectContaining({ change: expect.stringMatching(change), direction }));
      }
    });
  }

  it('names the path of a nested break', () => {
    const [rule] = rules.filter((candidate) => candidate.rule === 'nested objects and arrays');
    const found = schemaIncompatibilities(rule!.released, rule!.fails[0]!.current);
    expect(found).toEqual([{ path: 'data.lines[].sku', change: 'maxLength tightened from 64 to 32', direction: 'tightened' }]);
  });
});
