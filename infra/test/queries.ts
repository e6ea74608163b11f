/**
 * Text helpers for the queries written in the configuration files. They do not parse PromQL:
 * promtool checks the queries (promtool.int.test.ts) and a real Prometheus evaluates them
 * (e2e/src/prometheus.e2e.test.ts); these only read what the static tests compare.
 */

/** Whether a Prometheus or Loki regex matcher (fully anchored, RE2) accepts a value; fine for plain patterns. */
export function regexAccepts(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

/** Grafana's built-in interval variables, replaced by a duration so the query is PromQL. */
const builtinDurations = ['__rate_interval', '__interval', '__range', '__auto'];

/**
 * A Grafana query with its variables replaced so it is plain PromQL: the interval variables by
 * `interval`, other `$name` / `${name}` / `${name:format}` by `values[name]`, else `x`. Returns the
 * query and the names of the non-built-in variables it used.
 */
export function substituteGrafanaVariables(query: string, values: Record<string, string> = {}, interval = '5m'): { expr: string; variables: string[] } {
  const variables: string[] = [];
  const expr = query.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_match, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    if (builtinDurations.includes(name)) return interval;
    variables.push(name);
    return values[name] ?? 'x';
  });
  return { expr, variables };
}

/**
 * The names in a query that look like metrics of the families Warren's queries use (`warren_*`,
 * `http_*`, `rabbitmq_*`), outside string literals: a cheap typo check beside the live proof.
 */
export function familyMetricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  return [...withoutStrings.matchAll(/\b(?:warren|http|rabbitmq)_[a-zA-Z0-9_]*\b/g)].map(([name]) => name);
}

/** Each vector selector written `name{…}` in a query: the metric name and the text between the braces. */
export function selectorsOf(expr: string): { metric: string; matchers: string }[] {
  return [...expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map(([, metric = '', matchers = '']) => ({ metric, matchers }));
}
