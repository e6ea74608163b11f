import { describe, expect, it } from 'vitest';
import { cpuPerEvent, syscallsOf, takeCpuSnapshot, type CpuSnapshot } from './cpu.ts';

describe('CPU per event', () => {
  it('sums each target’s processes, counts a process born in between from zero and spreads the time over the events', () => {
    const at = (ticks: number, syscalls: number) => ({ ticks, syscalls });
    const before: CpuSnapshot = new Map([
      ['catalog', new Map([[10, at(500, 1_000)]])],
      ['PostgreSQL', new Map([[20, at(100, 50)], [21, at(50, 50)]])],
    ]);
    const after: CpuSnapshot = new Map([
      ['catalog', new Map([[10, at(700, 9_000)]])],
      // pid 21 ended; pid 22 started and used 30 ticks and 500 system calls.
      ['PostgreSQL', new Map([[20, at(160, 3_050)], [22, at(30, 500)]])],
    ]);
    const cpu = cpuPerEvent(before, after, 1_000, 100);
    // 200 ticks = 2 s over 1,000 events: 2 ms each; (60 + 30) ticks = 0.9 s: 0.9 ms each.
    expect(cpu.byProcess).toEqual([
      { name: 'catalog', msPerEvent: 2, syscallsPerEvent: 8 },
      { name: 'PostgreSQL', msPerEvent: 0.9, syscallsPerEvent: 3.5 },
    ]);
    expect(cpu.totalMsPerEvent).toBeCloseTo(2.9, 10);
    expect(cpu.totalSyscallsPerEvent).toBe(11.5);
    expect(cpuPerEvent(before, after, 0, 100).byProcess[0]?.msPerEvent).toBeNaN();
  });

  it('reads read plus write system calls from /proc/<pid>/io', async () => {
    expect(syscallsOf('rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 3\nread_bytes: 0\n')).toBe(13);
    const { readFile } = await import('node:fs/promises');
    expect(syscallsOf(await readFile('/proc/self/io', 'utf8'))).toBeGreaterThan(0);
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
