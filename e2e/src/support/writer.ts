/** What the edges answered, by status (`network` for a connection that failed or dropped). */
export type AnswerCounts = Map<string, number>;

export interface WriterOptions {
  /** The catalog edges to write to, read on every attempt (a restarted service has a new port). */
  targets: () => readonly string[];
  /** Prefix of the writes' Idempotency-Keys and SKUs: unique per scenario. */
  prefix: string;
  /** Writes in flight at once (one lane each); default 3. */
  lanes?: number;
  /** Pause of a lane between two writes; default 20 ms: a steady stream, not a flood. */
  pauseMs?: number;
  /** Gives up on one write after this long, as a failure of the scenario; default 45 s. */
  writeTimeoutMs?: number;
}

/** A steady stream of `POST /api/v1/items`, each retried with its own key until it is accepted. */
export interface Writer {
  /** Idempotency-Key → item id of every accepted write. */
  readonly accepted: ReadonlyMap<string, string>;
  /** Keys whose first attempt failed on the connection (in flight when an edge died). */
  readonly interrupted: ReadonlySet<string>;
  readonly answers: AnswerCounts;
  /** Answers outside the contract of a write under faults: anything but 201, 409 and 503 problem+json. */
  readonly unexpected: readonly string[];
  /** Resolves once `count` more writes were accepted than when it was called. */
  acceptMore(count: number, timeoutMs?: number): Promise<void>;
  /** Starts no new write and resolves when every started one was accepted; rejects if one gave up. */
  stop(): Promise<void>;
}

const retryable = new Set([409, 503]);

function bump(counts: AnswerCounts, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * Writes items like a well-behaved client under faults: each write keeps its Idempotency-Key and
 * body and is retried after a connection error, a 409 (key still in flight) or a 503 (a
 * dependency down), rotating over `targets`, until it gets its 201. Any other answer is recorded
 * in `unexpected` and ends that write.
 */
export function startWriter({ targets, prefix, lanes = 3, pauseMs = 20, writeTimeoutMs = 45_000 }: WriterOptions): Writer {
  const accepted = new Map<string, string>();
  const interrupted = new Set<string>();
  const answers: AnswerCounts = new Map();
  const unexpected: string[] = [];
  const waiters = new Set<() => void>();
  let next = 0;
  let stopping = false;

  async function attempt(key: string, index: number, round: number): Promise<'accepted' | 'retry' | 'failed'> {
    const all = targets();
    const target = all[(index + round) % all.length];
    let response: Response;
    try {
      response = await fetch(`${target}/api/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ name: `Item ${key}`, sku: `SKU-${key}`, priceCents: index + 1 }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      bump(answers, 'network');
      if (round === 0) interrupted.add(key);
      return 'retry';
    }
    const text = await response.text().catch(() => '');
    bump(answers, String(response.status));
    if (response.status === 201) {
      const id = (JSON.parse(text) as { id: string }).id;
      const earlier = accepted.get(key);
      if (earlier !== undefined && earlier !== id) unexpected.push(`${key}: 201 with item ${id} after ${earlier}`);
      accepted.set(key, id);
      for (const wake of waiters) wake();
      return 'accepted';
    }
    const problem = response.headers.get('content-type')?.startsWith('application/problem+json') ?? false;
    if (retryable.has(response.status) && problem) return 'retry';
    unexpected.push(`${key}: ${response.status} ${response.headers.get('content-type') ?? ''} ${text.slice(0, 300)}`);
    return 'failed';
  }

  async function write(index: number): Promise<void> {
    const key = `${prefix}-${index}`;
    const deadline = Date.now() + writeTimeoutMs;
    for (let round = 0; ; round += 1) {
      const outcome = await attempt(key, index, round);
      if (outcome === 'accepted') return;
      if (outcome === 'failed') throw new Error(`write ${key} was refused: ${unexpected.at(-1)}`);
      if (Date.now() > deadline) throw new Error(`write ${key} was not accepted within ${writeTimeoutMs} ms`);
      // Back off as a client would; the edge may be restarting or its database down.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * (round + 1), 250)));
    }
  }

  const running = Array.from({ length: lanes }, async () => {
    while (!stopping) {
      await write(next++);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  });
  // A lane that gave up is reported by stop(); until then it must not crash the test run.
  const done = Promise.all(running);
  done.catch(() => undefined);

  return {
    accepted,
    interrupted,
    answers,
    unexpected,
    acceptMore(count, timeoutMs = 30_000) {
      const target = accepted.size + count;
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (accepted.size < target) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`only ${accepted.size} of ${target} writes accepted within ${timeoutMs} ms; answers ${JSON.stringify([...answers])}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void done.catch((error: unknown) => {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        });
        check();
      });
    },
    async stop() {
      stopping = true;
      await done;
    },
  };
}
