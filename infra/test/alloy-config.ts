/** One block of an Alloy configuration: `name "label" { … }` or `name { … }`. */
export interface AlloyBlock {
  name: string;
  label: string | undefined;
  /** Attributes (`key = value`) as their source text. */
  attributes: Map<string, string>;
  blocks: AlloyBlock[];
}

const openers: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** The index just past a string literal that starts at `start`. */
function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  if (index >= text.length) throw new Error(`unterminated string at ${start}`);
  return index + 1;
}

function skipSpaceAndComments(text: string, start: number): number {
  let index = start;
  for (;;) {
    while (index < text.length && /\s/.test(text[index] ?? '')) index += 1;
    if (!text.startsWith('//', index)) return index;
    while (index < text.length && text[index] !== '\n') index += 1;
  }
}

/**
 * The index of the bracket that closes the enclosing one or, for an attribute value
 * (`untilNewline`), of the first newline outside any bracket. Brackets must pair up, strings and
 * comments aside.
 */
function skipExpression(text: string, start: number, untilNewline: boolean): number {
  const stack: string[] = [];
  let index = start;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (char === '"') {
      index = skipString(text, index);
      continue;
    }
    if (text.startsWith('//', index)) {
      while (index < text.length && text[index] !== '\n') index += 1;
      continue;
    }
    if (char in openers) stack.push(openers[char] ?? '');
    else if (char === '}' || char === ']' || char === ')') {
      if (stack.length === 0) return index;
      if (stack.pop() !== char) throw new Error(`unbalanced ${char} at ${index}`);
    } else if (untilNewline && char === '\n' && stack.length === 0) return index;
    index += 1;
  }
  if (stack.length > 0) throw new Error(`unclosed ${stack.join('')}`);
  return index;
}

function parseBody(text: string, start: number, end: number): { attributes: Map<string, string>; blocks: AlloyBlock[] } {
  const attributes = new Map<string, string>();
  const blocks: AlloyBlock[] = [];
  let index = skipSpaceAndComments(text, start);
  while (index < end) {
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(index))?.[0];
    if (!name) throw new Error(`expected an attribute or block at ${index}: ${text.slice(index, index + 30)}`);
    index = skipSpaceAndComments(text, index + name.length);
    let label: string | undefined;
    if (text[index] === '"') {
      const after = skipString(text, index);
      label = JSON.parse(text.slice(index, after)) as string;
      index = skipSpaceAndComments(text, after);
    }
    if (text[index] === '=' && label === undefined) {
      const valueEnd = skipExpression(text, index + 1, true);
      attributes.set(name, text.slice(index + 1, valueEnd).trim().replace(/,$/, ''));
      index = valueEnd;
    } else if (text[index] === '{') {
      const close = skipExpression(text, index + 1, false);
      if (text[close] !== '}') throw new Error(`block ${name} is not closed`);
      blocks.push({ name, label, ...parseBody(text, index + 1, close) });
      index = close + 1;
    } else {
      throw new Error(`expected = or { after ${name} at ${index}`);
    }
    index = skipSpaceAndComments(text, index);
  }
  return { attributes, blocks };
}

/** Parses an Alloy configuration file into its blocks and attributes (enough for static checks). */
export function parseAlloy(text: string): AlloyBlock[] {
  return parseBody(text, 0, text.length).blocks;
}

/** The keys of an object literal attribute such as `values = { level = "", }`. */
export function objectKeys(value: string | undefined): string[] {
  const body = /^\{([\s\S]*)\}$/.exec(value?.trim() ?? '')?.[1] ?? '';
  return [...body.matchAll(/^\s*([A-Za-z_]\w*)\s*=/gm)].map((match) => match[1] ?? '');
}

/** The string value of a string attribute, e.g. `host = "unix:///…"`. */
export function stringValue(value: string | undefined): string | undefined {
  return value?.startsWith('"') ? (JSON.parse(value) as string) : undefined;
}

/** All the blocks of a tree, depth first. */
export function allBlocks(blocks: AlloyBlock[]): AlloyBlock[] {
  return blocks.flatMap((block) => [block, ...allBlocks(block.blocks)]);
}
