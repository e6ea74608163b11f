import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { claimSql } from './claim-sql.ts';

/** The SQL of each tagged template in `source`, parameters numbered $1, $2, … and spaces collapsed. */
function statementsOf(source: string): string[] {
  return [...source.matchAll(/tx<[^`]*>`([^`]*)`/g)].map(([, text = '']) => {
    let index = 0;
    return text.replace(/\$\{[^}]*\}/g, () => `$${++index}`).replace(/\s+/g, ' ').trim();
  });
}

describe('the claim statement the growth bench times', () => {
  it('is the statement claimBatch runs', async () => {
    const source = await readFile(new URL('../../../packages/outbox/src/claim.ts', import.meta.url), 'utf8');
    const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(statementsOf(source)).toEqual([collapse(claimSql)]);
  });
});
