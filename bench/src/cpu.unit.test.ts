import { describe, expect, it } from 'vitest';
import { cpuPerEvent, takeCpuSnapshot, type CpuSnapshot } from './cpu.ts';

describe('CPU per event', () => {
  it('sums each target’s processes, counts a process born in between from zero and spreads the time over the events', () => {
    const before: CpuSnapshot = new Map([
      ['catalog', new Map([[10, 500]])],
      ['PostgreSQL', new Map([[20, 100], [21, 50]])],
    ]);
    const after: CpuSnapshot = new Map([
      ['catalog', new Map([[10, 700]])],
      // pid 21 ended; pid 22 started and used 30 ticks.
      ['PostgreSQL', new Map([[20, 160], [22, 30]])],
    ]);
    const cpu = cpuPerEvent(before, after, 1_000, 100);
    // 200 ticks = 2 s over 1,000 events: 2 ms each; (60 + 30) ticks = 0.9 s: 0.9 ms each.
    expect(cpu.byProcess).toEqual([
      { name: 'catalog', msPerEvent: 2 },
      { name: 'PostgreSQL', msPerEvent: 0.9 },
    ]);
    expect(cpu.totalMsPerEvent).toBeCloseTo(2.9, 10);
    expect(cpuPerEvent(before, after, 0, 100).byProcess[0]?.msPerEvent).toBeNaN();
  });

  it('finds processes by pid and by command name on this machine', async () => {
    const { readFile } = await import('node:fs/promises');
    const comm = (await readFile(`/proc/${process.pid}/comm`, 'utf8')).trim();
    const snapshot = await takeCpuSnapshot([
      { name: 'self', pid: process.pid },
      { name: 'by name', comm },
      { name: 'gone', pid: undefined },
    ]);
    expect(snapshot.get('self')?.has(process.pid)).toBe(true);
    expect(snapshot.get('by name')?.has(process.pid)).toBe(true);
    expect(snapshot.get('gone')?.size).toBe(0);
  });
});
