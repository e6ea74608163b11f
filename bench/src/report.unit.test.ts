import { describe, expect, it } from 'vitest';
import { resultsOf, subjectOf } from './test-results.ts';
import { computeRatios } from './ratios.ts';
import { memoryCell, renderReport, table, targetText, times, warningLines } from './report.ts';

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

describe('times and targetText', () => {
  it('prints a ratio with two decimals, or a dash when it is not finite', () => {
    expect(times(0.5432)).toBe('0.54 ×');
    expect(times(12.34)).toBe('12.3 ×');
    expect(times(Number.NaN)).toBe('–');
  });

  it('says whether a throughput target is met, and nothing for a ratio without one', () => {
    expect(targetText({ value: 1.6, atLeast: 1.5 })).toBe('≥ 1.5 × met');
    expect(targetText({ value: 0.54, atLeast: 1.5 })).toBe('≥ 1.5 × missed');
    expect(targetText({ value: 3 })).toBe('');
  });
});

describe('renderReport', () => {
  const results = resultsOf([subjectOf('naive', 400, { 500: [10, 40], 1000: [20, 100] }), subjectOf('warren-default', 200, { 500: [50, 160], 1000: [400, 900] })]);
  results.ratios = computeRatios(results);
  results.subjects['warren-default']!.serviceWarnings = { catalog: { count: 2, first: 'slow query' } };
  const report = renderReport(results);
  // The trimmed cells of the first row whose first cells are `leading`.
  const cells = (...leading: string[]): string[] | undefined =>
    report
      .split('\n')
      .map((text) => text.split('|').slice(1, -1).map((cell) => cell.trim()))
      .find((row) => leading.every((cell, index) => row[index] === cell));

  it('has one column per subject, the raw baseline first', () => {
    expect(cells('figure', 'raw broker')).toEqual(['figure', 'raw broker', 'naive', 'Warren default']);
    expect(cells('**events fully applied by both consumers/s** (raw: messages/s)')?.slice(1)).toEqual(['10,000', '400', '200']);
    expect(cells('1,000/s: **event to applied by both p99 (ms)**')?.slice(1)).toEqual(['', '100.0', '900.0']);
  });

  it('prints each ratio with its pair and target', () => {
    expect(cells('events fully applied by both/s', 'Warren default / naive')?.slice(2)).toEqual(['0.50 ×', '≥ 1.5 × missed']);
    expect(cells('p99 event to applied by both at 500/s')?.slice(1)).toEqual(['Warren default / naive', '4.00 ×', '']);
  });

  it('counts warn/error lines in the table and lists the first of each below it', () => {
    expect(cells('warn/error log lines (below)')?.slice(1)).toEqual(['', '0', '2']);
    expect(report).toContain('- slow query — Warren default catalog 2');
  });

  it('sums the idle cost of a subject’s processes and databases, and leaves the rows out when none was measured', () => {
    expect(cells('idle: CPU, % of one core (all its processes)')).toBeUndefined();
    const idle = subjectOf('warren-default', 200, {});
    idle.idle = {
      seconds: 20,
      processes: [
        { name: 'catalog', cpuPercent: 1.25 },
        { name: 'audit', cpuPercent: 0.5 },
      ],
      databases: [
        { name: 'bench_x_catalog', transactionsPerSecond: 5 },
        { name: 'bench_x_audit', transactionsPerSecond: 0.5 },
      ],
      memory: [
        { name: 'catalog', rssMiB: 151.4 },
        { name: 'audit', rssMiB: 139.6 },
      ],
    };
    idle.memoryAfterFullSpeed = [
      { name: 'catalog', rssMiB: 201 },
      { name: 'audit', rssMiB: 180 },
    ];
    const withIdle = renderReport({ ...resultsOf([subjectOf('naive', 400, {}), idle]), ratios: [] });
    const row = (label: string) =>
      withIdle
        .split('\n')
        .map((text) => text.split('|').slice(1, -1).map((cell) => cell.trim()))
        .find((cells) => cells[0] === label);
    expect(row('idle: CPU, % of one core (all its processes)')?.slice(1)).toEqual(['', '', '1.8']);
    expect(row('idle: database transactions/s (all its databases)')?.slice(1)).toEqual(['', '', '5.5']);
    expect(row('RSS at rest, MiB (each process)')?.slice(1)).toEqual(['', '', 'catalog 151 · audit 140']);
    expect(row('RSS after full speed, MiB (each process)')?.slice(1)).toEqual(['', '', 'catalog 201 · audit 180']);
  });

  it('prints CPU per event in one row per process, a naive process beside Warren’s of the same name, and leaves the rows out when none was measured', () => {
    expect(cells('**full speed: CPU per event, ms (all processes)**')).toBeUndefined();
    const naive = subjectOf('naive', 400, {});
    const warren = subjectOf('warren-default', 200, {});
    naive.fullSpeed.cpu = {
      byProcess: [
        { name: 'naive catalog', msPerEvent: 0.25, syscallsPerEvent: 4 },
        { name: 'PostgreSQL', msPerEvent: 0.5, syscallsPerEvent: 6 },
      ],
      totalMsPerEvent: 0.75,
      totalSyscallsPerEvent: 10,
    };
    warren.fullSpeed.cpu = {
      byProcess: [
        { name: 'catalog', msPerEvent: 1.5, syscallsPerEvent: 9.25 },
        { name: 'relay only', msPerEvent: 0.125, syscallsPerEvent: 1 },
        { name: 'PostgreSQL', msPerEvent: 1, syscallsPerEvent: 12 },
      ],
      totalMsPerEvent: 2.625,
      totalSyscallsPerEvent: 22.25,
    };
    const withCpu = renderReport({ ...resultsOf([naive, warren]), ratios: [] });
    const row = (label: string) =>
      withCpu
        .split('\n')
        .map((text) => text.split('|').slice(1, -1).map((cell) => cell.trim()))
        .find((cells) => cells[0] === label);
    expect(row('**full speed: CPU per event, ms (all processes)**')?.slice(1)).toEqual(['', '0.75', '2.63']);
    expect(row('full speed: CPU per event, ms: catalog')?.slice(1)).toEqual(['', '0.25', '1.50']);
    expect(row('full speed: CPU per event, ms: relay only')?.slice(1)).toEqual(['', '', '0.13']);
    expect(row('full speed: CPU per event, ms: PostgreSQL')?.slice(1)).toEqual(['', '0.50', '1.00']);
    expect(row('full speed: read + write system calls per event (all processes)')?.slice(1)).toEqual(['', '10.0', '22.3']);
    expect(row('full speed: system calls per event: catalog')?.slice(1)).toEqual(['', '4.0', '9.3']);
  });

  it('names a naive process without its prefix in the memory cells', () => {
    expect(memoryCell([{ name: 'naive catalog', rssMiB: 70.2 }])).toBe('catalog 70');
    expect(memoryCell(undefined)).toBe('');
  });

  it('lists a message logged by several processes once', () => {
    const naive = subjectOf('naive', 400, {});
    const warren = subjectOf('warren-tuned', 300, {});
    naive.serviceWarnings = { 'naive catalog': { count: 1, first: 'auth off' } };
    warren.serviceWarnings = { audit: { count: 1, first: 'auth off' }, catalog: { count: 3, first: 'slow' } };
    expect(warningLines([naive, warren])).toBe('- auth off — naive naive catalog 1, Warren tuned audit 1\n- slow — Warren tuned catalog 3');
  });

  it('leaves out the tables of what was not run', () => {
    const rawOnly = renderReport({ ...resultsOf([]), ratios: [] });
    expect(rawOnly).toContain('## Raw RabbitMQ baseline');
    expect(rawOnly).not.toContain('## Subjects side by side');
    expect(rawOnly).not.toContain('## Ratios');
  });
});
