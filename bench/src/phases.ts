import { waitUntilApplied, type AppliedProbe } from './applied.ts';
import { runClosedLoop } from './closed-loop.ts';
import { sharedCpuTargets, startCpuMeasurement, type CpuTarget } from './cpu.ts';
import type { BenchConfig } from './config.ts';
import { runOpenLoop } from './open-loop.ts';
import { measureIdle, measureRss, type IdleResult, type ProcessMemory } from './idle.ts';
import type { FixedRateResult, FullSpeedResult } from './results.ts';
import { collectServiceWarnings, type ServiceWarnings } from './service-logs.ts';
import { perSecond } from './stats.ts';
import type { RunningSubject } from './subject.ts';

/** What every phase drives and reads; `accepted` counts the 201s since the subject started. */
export interface PhaseContext {
  config: BenchConfig;
  baseUrl: string;
  probe: AppliedProbe;
  /** Unique per run: SKUs are `<run>-<phase>-<n>`. */
  run: string;
  accepted: number;
  /** The subject's own processes, whose CPU per event the full-speed phase measures (beside the shared servers). */
  cpuTargets: CpuTarget[];
  log(message: string): void;
}

/** A short unmeasured burst (JIT, connection pools, queues), awaited until fully applied. */
export async function warmUp(context: PhaseContext, durationMs = 2_000): Promise<void> {
  const load = await runClosedLoop({ baseUrl: context.baseUrl, concurrency: 16, durationMs, skuPrefix: `${context.run}-warm` });
  context.accepted += load.accepted;
  await waitUntilApplied(context.probe, { accepted: context.accepted, timeoutMs: context.config.applyTimeoutMs });
  context.log(`warm-up: ${load.accepted} writes applied`);
}

/**
 * Full speed: closed-loop writes for the configured time, then waits until both consumers applied
 * every event, and measures from the first write to the last applied time of the phase.
 */
export async function runFullSpeed(context: PhaseContext): Promise<FullSpeedResult> {
  const { config } = context;
  const skuPrefix = `${context.run}-full`;
  const measureCpu = await startCpuMeasurement([...context.cpuTargets, ...sharedCpuTargets]);
  const load = await runClosedLoop({ baseUrl: context.baseUrl, concurrency: config.concurrency, durationMs: config.seconds * 1_000, skuPrefix });
  context.accepted += load.accepted;
  context.log(`full speed: ${load.accepted} accepted (${Math.round(load.acceptedPerSecond)}/s); waiting for the consumers`);
  const { waitedMs } = await waitUntilApplied(context.probe, { accepted: context.accepted, timeoutMs: config.applyTimeoutMs });
  context.log(`full speed: applied by both ${(waitedMs / 1_000).toFixed(1)} s after the last answer`);
  // Measured up to the moment both consumers were seen done: the probe's last poll, a little after.
  const cpu = await measureCpu(load.accepted);
  context.log(`full speed: CPU per event ${cpu.byProcess.map((entry) => `${entry.name} ${entry.msPerEvent.toFixed(2)}`).join(', ')} ms (total ${cpu.totalMsPerEvent.toFixed(2)})`);
  context.log(`full speed: system calls per event ${cpu.byProcess.map((entry) => `${entry.name} ${entry.syscallsPerEvent.toFixed(1)}`).join(', ')} (total ${cpu.totalSyscallsPerEvent.toFixed(1)})`);
  const endToEnd = await context.probe.endToEnd(skuPrefix);
  const appliedWindowMs = endToEnd.lastAppliedEpochMs - load.firstSendEpochMs;
  return {
    load,
    endToEnd,
    appliedWindowMs,
    appliedPerSecond: perSecond(load.accepted, appliedWindowMs),
    drainAfterLastAnswerMs: Math.max(0, endToEnd.lastAppliedEpochMs - load.lastAnswerEpochMs),
    cpu,
  };
}

/** One open-loop phase at `rate` writes/s, awaited until applied, with its end-to-end latencies. */
export async function runFixedRate(context: PhaseContext, rate: number): Promise<FixedRateResult> {
  const { config } = context;
  const skuPrefix = `${context.run}-r${rate}`;
  const load = await runOpenLoop({
    baseUrl: context.baseUrl,
    rate,
    durationMs: config.seconds * 1_000,
    skuPrefix,
    maxInFlight: config.openMaxInFlight,
    lateThresholdMs: config.lateThresholdMs,
    giveUpAfterMs: config.giveUpAfterMs,
  });
  context.accepted += load.accepted;
  context.log(`${rate}/s: ${load.accepted} of ${load.scheduled} accepted, ${load.late} late; waiting for the consumers`);
  const { waitedMs } = await waitUntilApplied(context.probe, { accepted: context.accepted, timeoutMs: config.applyTimeoutMs });
  context.log(`${rate}/s: applied by both ${(waitedMs / 1_000).toFixed(1)} s after the last answer`);
  return { load, endToEnd: await context.probe.endToEnd(skuPrefix) };
}

/**
 * Every phase against one started subject, in order: warm-up, idle (with the processes' memory at
 * rest), full speed (and their memory once it is applied), each fixed rate; the subject's
 * warn-or-worse log lines are tallied after each.
 */
export async function measureSubject(
  subject: RunningSubject,
  { config, run, log }: Pick<PhaseContext, 'config' | 'run' | 'log'>,
): Promise<{ idle: IdleResult; fullSpeed: FullSpeedResult; memoryAfterFullSpeed: ProcessMemory[]; fixedRate: FixedRateResult[]; serviceWarnings: ServiceWarnings }> {
  const context: PhaseContext = { config, baseUrl: subject.baseUrl, probe: subject.probe, run, accepted: 0, log, cpuTargets: subject.idle.processes };
  const serviceWarnings: ServiceWarnings = {};
  await warmUp(context);
  collectServiceWarnings(subject.processes, serviceWarnings);
  const idle = await measureIdle(config.adminUrl, subject.idle, config.idleSeconds);
  log(`idle: ${idle.processes.map((process, index) => `${process.name} ${process.cpuPercent.toFixed(1)} % CPU, ${Math.round(idle.memory?.[index]?.rssMiB ?? Number.NaN)} MiB`).join(', ')}`);
  const fullSpeed = await runFullSpeed(context);
  const memoryAfterFullSpeed = await measureRss(subject.idle.processes);
  collectServiceWarnings(subject.processes, serviceWarnings);
  const fixedRate: FixedRateResult[] = [];
  for (const rate of config.rates) {
    fixedRate.push(await runFixedRate(context, rate));
    collectServiceWarnings(subject.processes, serviceWarnings);
  }
  return { idle, fullSpeed, memoryAfterFullSpeed, fixedRate, serviceWarnings };
}
