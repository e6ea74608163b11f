import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingNames } from './config.ts';
import { repositoryRoot } from './environment.ts';

const read = (file: string) => readFileSync(`${repositoryRoot}${file}`, 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('the documented settings', () => {
  const schema = sorted(settingNames());

  it('.env.example lists exactly the settings the services read', () => {
    const listed = [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? '');
    expect(sorted(listed)).toEqual(schema);
  });

  it("the README's settings table lists exactly the settings the services read", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Settings'), readme.indexOf('\n## ', readme.indexOf('## Settings') + 1));
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1] ?? '');
    expect(sorted(rows)).toEqual(schema);
  });
});
