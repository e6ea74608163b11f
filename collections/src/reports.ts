/** What one tool's run amounted to, read from its JSON report. */
export interface ToolSummary {
  tool: 'bruno' | 'newman';
  /** Requests of the collection that were sent (scripted polling requests not counted). */
  requests: number;
  /** Requests of the collection that were not sent: a skip means a variable was missing. */
  skipped: number;
  /** Assertions and tests evaluated. */
  assertions: number;
  /** One line per failed assertion, test, script or request. */
  failures: string[];
}

interface BrunoCheck {
  status?: string;
  error?: string;
  description?: string;
  lhsExpr?: string;
  rhsExpr?: string;
}

interface BrunoResult {
  path?: string;
  status?: string;
  skipped?: boolean;
  error?: string | null;
  assertionResults?: BrunoCheck[];
  testResults?: BrunoCheck[];
  preRequestTestResults?: BrunoCheck[];
  postResponseTestResults?: BrunoCheck[];
}

/** Reads `bru run --reporter-json` output: an array with one entry per iteration. */
export function summarizeBruno(report: unknown): ToolSummary {
  const iterations = (Array.isArray(report) ? report : [report]) as { results?: BrunoResult[] }[];
  const summary: ToolSummary = { tool: 'bruno', requests: 0, skipped: 0, assertions: 0, failures: [] };
  for (const result of iterations.flatMap((iteration) => iteration.results ?? [])) {
    const where = result.path ?? '(unknown request)';
    if (result.skipped || result.status === 'skipped') {
      summary.skipped += 1;
      continue;
    }
    summary.requests += 1;
    if (result.error) summary.failures.push(`${where}: ${result.error}`);
    const checks = [
      ...(result.assertionResults ?? []),
      ...(result.testResults ?? []),
      ...(result.preRequestTestResults ?? []),
      ...(result.postResponseTestResults ?? []),
    ];
    summary.assertions += checks.length;
    for (const check of checks.filter((entry) => entry.status !== 'pass')) {
      const name = check.description ?? `${check.lhsExpr ?? ''}: ${check.rhsExpr ?? ''}`;
      summary.failures.push(`${where}: ${name}: ${check.error ?? check.status ?? 'failed'}`);
    }
  }
  return summary;
}

interface NewmanReport {
  run?: {
    stats?: { items?: { total?: number }; assertions?: { total?: number } };
    executions?: { id?: string; item?: { id?: string } }[];
    failures?: { error?: { message?: string; test?: string }; source?: { name?: string } }[];
  };
}

/** Reads `newman run --reporters json` output. */
export function summarizeNewman(report: unknown): ToolSummary {
  const run = (report as NewmanReport).run ?? {};
  // pm.sendRequest calls appear as executions of the item that made them: count items once.
  const executed = new Set((run.executions ?? []).map((execution) => execution.item?.id ?? execution.id)).size;
  const total = run.stats?.items?.total ?? executed;
  return {
    tool: 'newman',
    requests: executed,
    skipped: total - executed,
    assertions: run.stats?.assertions?.total ?? 0,
    failures: (run.failures ?? []).map((failure) => {
      const test = failure.error?.test ? `${failure.error.test}: ` : '';
      return `${failure.source?.name ?? '(unknown request)'}: ${test}${failure.error?.message ?? 'failed'}`;
    }),
  };
}
