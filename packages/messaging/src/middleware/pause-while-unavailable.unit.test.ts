import { describe, expect, it, vi } from 'vitest';
import { deliveryOf, itemCreatedEvent, silentLogger } from '../pipeline/delivery.test-support.ts';
import { pauseWhileUnavailable, type DependencyGuard } from './pause-while-unavailable.ts';

class DatabaseDown extends Error {}

describe('pause-while-unavailable', () => {
  function guardDownFor(probesFailing: number): DependencyGuard & { probes: number } {
    const guard = {
      probes: 0,
      isDown: (error: unknown) => error instanceof DatabaseDown,
      probe: async () => {
        guard.probes += 1;
        if (guard.probes <= probesFailing) throw new DatabaseDown('still down');
      },
      minDelayMs: 1,
      maxDelayMs: 2,
    };
    return guard;
  }

  it('requeues a delivery that failed because the dependency is down, and pauses until a probe answers', async () => {
    const guard = guardDownFor(2);
    const resumed: Promise<void>[] = [];
    const control = { pause: (resume: (signal: AbortSignal) => Promise<void>) => void resumed.push(resume(new AbortController().signal)) };
    const settlement = await pauseWhileUnavailable(guard, control, silentLogger)(async () => {
      throw new DatabaseDown('connection refused');
    })(deliveryOf(itemCreatedEvent()));
    expect(settlement.result).toBe('requeued');
    expect(resumed).toHaveLength(1);
    await resumed[0];
    expect(guard.probes).toBe(3);
  });

  it('keeps probing through any kind of failure, a TypeError or a thrown string included', async () => {
    const failures: unknown[] = [new TypeError('socket is null'), 'refused'];
    let probes = 0;
    const guard: DependencyGuard = {
      isDown: (error) => error instanceof DatabaseDown,
      probe: async () => {
        probes += 1;
        const failure = failures.shift();
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a client may throw anything; the probe must outlast it
        if (failure !== undefined) throw failure;
      },
      minDelayMs: 1,
      maxDelayMs: 2,
    };
    let waiting: Promise<void> | undefined;
    await pauseWhileUnavailable(guard, { pause: (resume) => void (waiting = resume(new AbortController().signal)) }, silentLogger)(async () => {
      throw new DatabaseDown('down');
    })(deliveryOf(itemCreatedEvent()));
    await expect(waiting).resolves.toBeUndefined();
    expect(probes).toBe(3);
  });

  it('stops probing when the subscriber closes', async () => {
    const guard = guardDownFor(Number.POSITIVE_INFINITY);
    const closing = new AbortController();
    let waiting: Promise<void> | undefined;
    await pauseWhileUnavailable(guard, { pause: (resume) => void (waiting = resume(closing.signal)) }, silentLogger)(async () => {
      throw new DatabaseDown('down');
    })(deliveryOf(itemCreatedEvent()));
    await vi.waitFor(() => expect(guard.probes).toBeGreaterThan(1));
    closing.abort();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('passes any other failure on, without pausing', async () => {
    const pause = vi.fn();
    const run = pauseWhileUnavailable(guardDownFor(0), { pause }, silentLogger)(async () => {
      throw new Error('bad row');
    });
    await expect(run(deliveryOf(itemCreatedEvent()))).rejects.toThrow('bad row');
    expect(pause).not.toHaveBeenCalled();
  });
});
