import { parser } from '@prometheus-io/lezer-promql';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** One label matcher of a vector selector: `metric{label op "value"}`. */
export interface LabelMatcher {
  metric: string | undefined;
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** What the tests need to know about one PromQL expression. */
export interface PromqlSummary {
  /** Syntax errors, each with the text around it; empty when the expression parses. */
  errors: string[];
  /** Metric names of every vector selector, in order of appearance. */
  metrics: string[];
  matchers: LabelMatcher[];
  /** Labels the result keeps when it is known (an aggregation on the top level); else undefined. */
  outputLabels: string[] | undefined;
}

const matchOps: Record<string, LabelMatcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

function children(node: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) found.push(child);
  return found;
}

function child(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return children(node).find((candidate) => candidate.name === name);
}

/** A PromQL string literal's value: "…" and '…' with Go-style escapes, `…` raw. */
function stringValue(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  return body.replace(/\\(.)/g, (_match, escaped: string) => ({ n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" })[escaped] ?? `\\${escaped}`);
}

function outputLabels(node: SyntaxNode, text: (node: SyntaxNode) => string): string[] | undefined {
  const first = node.firstChild;
  // The whole query, a parenthesised one, or `left <op> right`: the left operand's labels (a
  // comparison with a number keeps them; vector-vector operations match on them).
  if ((node.name === 'PromQL' || node.name === 'ParenExpr' || node.name === 'BinaryExpr') && first) return outputLabels(first, text);
  if (node.name === 'AggregateExpr') {
    const modifier = child(node, 'AggregateModifier');
    if (!modifier) return [];
    if (!child(modifier, 'By')) return undefined;
    const grouping = child(modifier, 'GroupingLabels');
    return grouping ? children(grouping).filter((label) => label.name === 'LabelName').map(text) : [];
  }
  return undefined;
}

/** Parses a PromQL expression with Prometheus' own Lezer grammar (the one its web UI uses). */
export function summarizePromql(expr: string): PromqlSummary {
  const tree = parser.parse(expr);
  const text = (node: SyntaxNode): string => expr.slice(node.from, node.to);
  const summary: PromqlSummary = { errors: [], metrics: [], matchers: [], outputLabels: outputLabels(tree.topNode, text) };
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) summary.errors.push(`syntax error at ${ref.from}: …${expr.slice(Math.max(0, ref.from - 20), ref.to + 20)}…`);
      if (ref.name !== 'VectorSelector') return;
      const selector = ref.node;
      const metricNode = child(selector, 'Identifier');
      const metric = metricNode ? text(metricNode) : undefined;
      if (metric) summary.metrics.push(metric);
      const matchers = child(selector, 'LabelMatchers');
      for (const matcher of matchers ? children(matchers) : []) {
        const [label, op, value] = children(matcher);
        if (!label || !op || !value) continue;
        const operator = matchOps[children(op)[0]?.name ?? ''];
        if (operator) summary.matchers.push({ metric, label: text(label), op: operator, value: stringValue(text(value)) });
      }
    },
  });
  return summary;
}

/** Whether a Prometheus regex matcher (fully anchored, RE2) accepts a value; fine for plain patterns. */
export function regexAccepts(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`).test(value);
}

/** Grafana's built-in interval variables, replaced by a duration so the query parses as PromQL. */
const builtinDurations = ['__rate_interval', '__interval', '__range', '__auto'];

/**
 * A Grafana query with its variables replaced so it parses as PromQL: the interval variables by
 * `5m`, other `$name` / `${name}` / `${name:format}` by `values[name]`, else `x`. Returns the
 * query and the names of the non-built-in variables it used.
 */
export function substituteGrafanaVariables(query: string, values: Record<string, string> = {}): { expr: string; variables: string[] } {
  const variables: string[] = [];
  const expr = query.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_match, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    if (builtinDurations.includes(name)) return '5m';
    variables.push(name);
    return values[name] ?? 'x';
  });
  return { expr, variables };
}
