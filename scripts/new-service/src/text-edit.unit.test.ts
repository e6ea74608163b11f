import { describe, expect, it } from 'vitest';
import { appendToLiteral, EditError, ensureNamedImport, insertAfterLast } from './text-edit.ts';

describe('text edits', () => {
  it('appends to a one-line and to a multi-line literal, keeping its layout', () => {
    expect(appendToLiteral('export const a = [x, y] as const;', 'export const a =', 'z')).toBe('export const a = [x, y, z] as const;');
    const multi = 'export const a = [\n  { b: [1] },\n  { b: [2] },\n] as const;';
    expect(appendToLiteral(multi, 'export const a =', '{ b: [3] }')).toBe('export const a = [\n  { b: [1] },\n  { b: [2] },\n  { b: [3] },\n] as const;');
  });

  it('adds a named import once, to the existing import of the module', () => {
    const text = "import { a } from './a.ts';\nimport { b } from './b.ts';\n";
    expect(ensureNamedImport(text, 'c', './a.ts')).toBe("import { a, c } from './a.ts';\nimport { b } from './b.ts';\n");
    expect(ensureNamedImport(text, 'a', './a.ts')).toBe(text);
    expect(ensureNamedImport(text, 'd', './d.ts')).toBe("import { a } from './a.ts';\nimport { b } from './b.ts';\nimport { d } from './d.ts';\n");
  });

  it('says which anchor it could not find', () => {
    expect(() => insertAfterLast('x', /^y/, 'z', 'the y lines')).toThrow(EditError);
    expect(() => appendToLiteral('x', 'export const a =', 'z')).toThrow('no "export const a ="');
  });
});
