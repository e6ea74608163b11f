import { describe, expect, it } from 'vitest';
import { cpuTicksOf } from './cpu.ts';
import { measureRss, rssMiBOf } from './idle.ts';

describe('idle measurement', () => {
  it('reads user plus system CPU ticks from /proc/<pid>/stat, whatever the command name holds', () => {
    // Fields 14 (utime) and 15 (stime) are 250 and 40; the name has spaces and a parenthesis.
    const stat = '4242 (node (catalog) x) S 1 4242 4242 0 -1 4194304 1200 0 3 0 250 40 0 0 20 0 11 0 123456 1000000 20000';
    expect(cpuTicksOf(stat)).toBe(290);
  });

  it('reads this process’s own stat file', async () => {
    const { readFile } = await import('node:fs/promises');
    const ticks = cpuTicksOf(await readFile('/proc/self/stat', 'utf8'));
    expect(Number.isInteger(ticks)).toBe(true);
    expect(ticks).toBeGreaterThanOrEqual(0);
  });

  it('reads the resident set size in MiB from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999999 kB\nVmRSS:\t  153600 kB\nRssAnon:\t  100000 kB\n';
    expect(rssMiBOf(status)).toBe(150);
    expect(rssMiBOf('Name:\tkthreadd\n')).toBeNaN();
  });

  it('measures this process’s resident memory, and NaN for a process that is gone', async () => {
    const [self, gone] = await measureRss([
      { name: 'self', pid: process.pid },
      { name: 'gone', pid: undefined },
    ]);
    expect(self?.rssMiB).toBeGreaterThan(10);
    expect(gone?.rssMiB).toBeNaN();
  });
});
