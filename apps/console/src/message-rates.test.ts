import { describe, expect, it } from 'vitest';
import { countersOf, createMessageRates, parseExposition, ratesBetween } from './message-rates.ts';

/** An exposition as a service renders it (OpenMetrics, with an exemplar on one line). */
function exposition({ published, applied, duplicate = 0, retried = 0, deadLettered = 0, requeued = 0, startedAt = 1_700_000_000 }: { published: number; applied: number; duplicate?: number; retried?: number; deadLettered?: number; requeued?: number; startedAt?: number }): string {
  const consumed = (result: string, value: number) => `warren_messages_consumed_total{handler="inventory.item-created",result="${result}"} ${value}`;
  return [
    '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${startedAt}`,
    '# TYPE warren_messages_published counter',
    `warren_messages_published_total ${published}`,
    '# TYPE warren_messages_consumed counter',
    `${consumed('applied', applied)} # {trace_id="0af7651916cd43dd8448eb211c80319c"} 1 1700000000.123`,
    consumed('duplicate', duplicate),
    consumed('retried', retried),
    consumed('dead_lettered', deadLettered),
    consumed('requeued', requeued),
    '# EOF',
  ].join('\n');
}

const counters = (options: Parameters<typeof exposition>[0]) => countersOf(parseExposition(exposition(options)));

describe('message rates from the services’ counters', () => {
  it('parses samples with labels, escapes and exemplars', () => {
    const samples = parseExposition(`# TYPE x counter\nx_total{a="q\\"uoted",b="two"} 4 # {trace_id="t"} 1\ny 2.5\n`);
    expect(samples).toEqual([
      { name: 'x_total', labels: { a: 'q"uoted', b: 'two' }, value: 4 },
      { name: 'y', labels: {}, value: 2.5 },
    ]);
  });

  it('gives per second since the previous sample: published, delivered (every result), acked (applied, duplicate, dead-lettered), retried, dead-lettered', () => {
    const before = counters({ published: 10, applied: 4 });
    const after = counters({ published: 30, applied: 14, duplicate: 2, retried: 4, deadLettered: 2, requeued: 2 });
    const rates = ratesBetween(before, after, 2);
    expect(rates.published).toBe(10);
    expect(rates.queues.get('inventory.item-created')).toEqual({ delivered: 10, acked: 7, retried: 2, deadLettered: 1 });
  });

  it('gives no rate for the first sample', () => {
    const rates = ratesBetween(undefined, counters({ published: 30, applied: 14 }), 0);
    expect(rates).toMatchObject({ measured: false, published: null });
    expect(rates.queues.get('inventory.item-created')).toEqual({ delivered: null, acked: null, retried: null, deadLettered: null });
  });

  it('gives no rate, never a negative one, across a counter reset', () => {
    // A restart seen by a lower counter, with the same start time reported.
    const lower = ratesBetween(counters({ published: 30, applied: 14 }), counters({ published: 3, applied: 20 }), 1);
    expect(lower.published).toBeNull();
    expect(lower.queues.get('inventory.item-created')?.acked).toBe(6);
    // A restart seen by a new process start time, even when the counters grew past their old values.
    const restarted = ratesBetween(counters({ published: 3, applied: 1 }), counters({ published: 40, applied: 20, startedAt: 1_700_000_100 }), 1);
    expect(restarted.published).toBeNull();
    expect(restarted.queues.get('inventory.item-created')).toEqual({ delivered: null, acked: null, retried: null, deadLettered: null });
  });

  it('says "unreachable" for a service that does not answer, and compares its next answer with nothing', async () => {
    const answers: Record<string, (string | Error)[]> = {
      catalog: [exposition({ published: 0, applied: 0 }), exposition({ published: 5, applied: 0 }), new Error('connection refused'), exposition({ published: 50, applied: 0 }), exposition({ published: 60, applied: 0 })],
      audit: [new Error('timeout'), new Error('timeout'), new Error('timeout'), new Error('timeout'), new Error('timeout')],
    };
    let clock = 0;
    const rates = createMessageRates(
      { catalog: 'http://catalog/metrics', audit: 'http://audit/metrics' },
      {
        now: () => (clock += 1_000),
        fetchText: (url) => {
          const answer = answers[url.includes('catalog') ? 'catalog' : 'audit']?.shift();
          return answer instanceof Error || answer === undefined ? Promise.reject(answer ?? new Error('none')) : Promise.resolve(answer);
        },
      },
    );
    const published = async () => (await rates.sample()).map((sample) => [sample.service, sample.error ?? sample.rates.published]);
    expect(await published()).toEqual([
      ['catalog', null],
      ['audit', 'unreachable'],
    ]);
    const second = await published();
    expect(second[0]?.[1]).toBe(2.5);
    expect(second[1]).toEqual(['audit', 'unreachable']);
    expect((await published())[0]).toEqual(['catalog', 'unreachable']);
    expect((await published())[0]).toEqual(['catalog', null]);
    expect((await published())[0]?.[1]).toBe(5);
  });
});
