/** Reads the edges' GET routes in a loop and records what they answered. */
export interface Prober {
  /** Answers by status (`network` when no answer came). */
  readonly answers: Map<string, number>;
  /** Anything but 200, 404 or a 503 problem+json: a 500 above all. */
  readonly unexpected: readonly string[];
  stop(): Promise<void>;
}

/** Starts reading every URL of `urls()` every `intervalMs` until `stop()`. */
export function startProber(urls: () => readonly string[], intervalMs = 100): Prober {
  const answers = new Map<string, number>();
  const unexpected: string[] = [];
  let stopping = false;
  const probe = async (url: string) => {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    } catch {
      answers.set('network', (answers.get('network') ?? 0) + 1);
      return;
    }
    const body = await response.text().catch(() => '');
    answers.set(String(response.status), (answers.get(String(response.status)) ?? 0) + 1);
    const problem = response.headers.get('content-type')?.startsWith('application/problem+json') ?? false;
    if (response.status === 200 || response.status === 404 || (response.status === 503 && problem)) return;
    unexpected.push(`GET ${url}: ${response.status} ${response.headers.get('content-type') ?? ''} ${body.slice(0, 300)}`);
  };
  const loop = (async () => {
    while (!stopping) {
      await Promise.all(urls().map(probe));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    answers,
    unexpected,
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
