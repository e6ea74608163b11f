/** Characters `x-warren-error-message` may take. */
export const errorMessageMaxLength = 1_000;

/** A cause's own share of the message; the wrapper's text gets what the causes leave. */
const causeMaxLength = 400;

function chainOf(error: Error): Error[] {
  const chain = [error];
  for (let cause = error.cause; cause instanceof Error && chain.length < 5; cause = cause.cause) chain.push(cause);
  return chain;
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * The message for `x-warren-error-message`, at most `max` characters: the error's own message,
 * then each error of its `cause` chain as ` (cause: <message> [<code>])`. The causes are written
 * first and the outer message shortened to make room, so the database's reason and its SQLSTATE
 * survive a wrapper such as drizzle's "Failed query: <sql> params: …".
 */
export function errorMessage(error: Error, max = errorMessageMaxLength): string {
  const [outer, ...causes] = chainOf(error);
  const suffix = causes
    .map((cause) => {
      const code = codeOf(cause);
      return ` (cause: ${cut(cause.message, causeMaxLength)}${code ? ` [${code}]` : ''})`;
    })
    .join('');
  const tail = cut(suffix, max);
  const room = max - tail.length;
  return room > 0 ? `${cut(outer?.message ?? '', room)}${tail}` : tail;
}

/**
 * The code for `x-warren-error-code`: the first string `code` on the error or down its cause
 * chain (Warren's own errors carry one; postgres.js errors carry the SQLSTATE, such as '22P05').
 */
export function errorCode(error: Error): string | undefined {
  return chainOf(error).map(codeOf).find((code) => code !== undefined);
}
