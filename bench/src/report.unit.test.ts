import { describe, expect, it } from 'vitest';
import { table } from './report.ts';

describe('table', () => {
  it('pads every column to its widest cell, figures to the right', () => {
    expect(table(['figure', 'value'], [['messages/s', '26,261'], ['p99 (ms)', '1.5']])).toBe(
      ['| figure     |  value |', '| ---------- | -----: |', '| messages/s | 26,261 |', '| p99 (ms)   |    1.5 |'].join('\n'),
    );
  });

  it('keeps text to the left when asked', () => {
    expect(table(['machine', ''], [['node', 'v24']], 'left')).toBe(['| machine |     |', '| ------- | --- |', '| node    | v24 |'].join('\n'));
  });
});
