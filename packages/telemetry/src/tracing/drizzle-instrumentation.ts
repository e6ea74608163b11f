import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { PostgresJsPreparedQuery, PostgresJsSession } from 'drizzle-orm/postgres-js';

const tracer = trace.getTracer('@warren/telemetry/drizzle-postgres');
const patched = Symbol.for('warren.telemetry.drizzle-patched');

/** `select`, `insert`, … : the first keyword of a statement, for span names and `db.operation.name`. */
export function operationOf(query: string): string {
  return /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase() ?? 'query';
}

async function inSpan<T>(name: string, attributes: Record<string, string>, run: () => Promise<T>): Promise<T> {
  // Work outside any trace (the relay's polling, retention) records nothing: it would flood the
  // trace store with lone root spans.
  if (!trace.getActiveSpan()) return run();
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql', ...attributes } }, async (span: Span) => {
    try {
      return await run();
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
      throw error;
    } finally {
      span.end();
    }
  });
}

type Execute = (this: { queryString: string }, ...args: unknown[]) => Promise<unknown>;
type Transaction = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/**
 * Traces every drizzle query on postgres.js as a CLIENT span with `db.*` attributes
 * (`db.system.name`, `db.operation.name`, `db.query.text` — parameterised, never the values)
 * and each transaction as a span around its queries. postgres.js has no official
 * instrumentation; drizzle is the one door all of Warren's SQL in a request or delivery goes
 * through. Idempotent.
 */
export function instrumentDrizzlePostgres(): void {
  const prepared = PostgresJsPreparedQuery.prototype as unknown as Record<string | symbol, unknown>;
  if (prepared[patched]) return;
  prepared[patched] = true;
  for (const method of ['execute', 'all'] as const) {
    const original = prepared[method] as Execute;
    prepared[method] = function tracedQuery(this: { queryString: string }, ...args: unknown[]) {
      const operation = operationOf(this.queryString);
      return inSpan(operation, { 'db.operation.name': operation, 'db.query.text': this.queryString }, () => original.apply(this, args));
    };
  }
  const session = PostgresJsSession.prototype as unknown as Record<string, unknown>;
  const transaction = session['transaction'] as Transaction;
  session['transaction'] = function tracedTransaction(this: unknown, ...args: unknown[]) {
    return inSpan('transaction', { 'db.operation.name': 'transaction' }, () => transaction.apply(this, args));
  };
}
