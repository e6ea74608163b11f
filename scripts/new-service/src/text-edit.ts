/** Thrown when a file does not have the shape an edit expects; the message names file and anchor. */
export class EditError extends Error {}

/** Inserts `lines` after the last line matching `pattern`; throws `EditError` when none does. */
export function insertAfterLast(text: string, pattern: RegExp, lines: string, what: string): string {
  const all = text.split('\n');
  const index = all.findLastIndex((line) => pattern.test(line));
  if (index < 0) throw new EditError(`no line matching ${pattern} (${what})`);
  all.splice(index + 1, 0, ...lines.replace(/\n$/, '').split('\n'));
  return all.join('\n');
}

/** Inserts `lines` before the first line matching `pattern`; throws `EditError` when none does. */
export function insertBeforeFirst(text: string, pattern: RegExp, lines: string, what: string): string {
  const all = text.split('\n');
  const index = all.findIndex((line) => pattern.test(line));
  if (index < 0) throw new EditError(`no line matching ${pattern} (${what})`);
  all.splice(index, 0, ...lines.replace(/\n$/, '').split('\n'));
  return all.join('\n');
}

const closing: Record<string, string> = { '[': ']', '{': '}', '(': ')' };

/**
 * Appends `entry` to the array or object literal that follows `anchor` (the first `[` or `{`
 * after it), keeping its layout: on a line of its own, indented like the last element, in a
 * multi-line literal; after `, ` in a one-line literal. Strings and comments inside are not
 * parsed, so the literal must not hold brackets in strings.
 */
export function appendToLiteral(text: string, anchor: string, entry: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new EditError(`no "${anchor}"`);
  const open = text.slice(at + anchor.length).search(/[[{]/) + at + anchor.length;
  if (open < at + anchor.length) throw new EditError(`no literal after "${anchor}"`);
  const stack: string[] = [];
  let end = -1;
  for (let index = open; index < text.length; index += 1) {
    const char = text.charAt(index);
    if (char in closing) stack.push(closing[char] ?? '');
    else if (char === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) {
        end = index;
        break;
      }
    }
  }
  if (end < 0) throw new EditError(`the literal after "${anchor}" is not closed`);
  const body = text.slice(open + 1, end);
  if (body.trim() === '') return `${text.slice(0, open + 1)}${entry}${text.slice(end)}`;
  if (!body.includes('\n')) {
    const trimmed = body.replace(/\s+$/, '').replace(/,$/, '');
    return `${text.slice(0, open + 1)}${trimmed}, ${entry}${body.endsWith(' ') ? ' ' : ''}${text.slice(end)}`;
  }
  const lastLine = body.replace(/\s+$/, '').split('\n').at(-1) ?? '';
  const indent = /^\s*/.exec(lastLine)?.[0] ?? '  ';
  const head = text.slice(0, open + 1) + body.replace(/\s+$/, '');
  const comma = head.endsWith(',') ? '' : ',';
  const trailing = lastLine.trimEnd().endsWith(',') ? ',' : '';
  return `${head}${comma}\n${indent}${entry}${trailing}${body.slice(body.replace(/\s+$/, '').length)}${text.slice(end)}`;
}

/** Adds `name` to the named imports of `from` (a new import line after the last one when there is none). */
export function ensureNamedImport(text: string, name: string, from: string): string {
  const pattern = new RegExp(`^import \\{ ([^}]*) \\} from '${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}';$`, 'm');
  const found = pattern.exec(text);
  if (found) {
    const names = (found[1] ?? '').split(',').map((part) => part.trim()).filter(Boolean);
    if (names.includes(name)) return text;
    return text.replace(pattern, `import { ${[...names, name].join(', ')} } from '${from}';`);
  }
  return insertAfterLast(text, /^import /, `import { ${name} } from '${from}';`, 'imports');
}

/** Replaces exactly one occurrence of `search`; throws `EditError` for none or several. */
export function replaceOnce(text: string, search: string | RegExp, replacement: string | ((...groups: string[]) => string), what: string): string {
  const count = typeof search === 'string' ? text.split(search).length - 1 : (text.match(new RegExp(search.source, `${search.flags.replace('g', '')}g`)) ?? []).length;
  if (count !== 1) throw new EditError(`expected one ${what}, found ${count}`);
  return text.replace(search, typeof replacement === 'string' ? () => replacement : replacement);
}
