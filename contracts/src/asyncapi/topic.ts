/**
 * Whether an AMQP topic binding key matches a routing key: words are dot-separated, `*` stands
 * for exactly one word and `#` for zero or more.
 */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  return matchWords(bindingKey.split('.'), routingKey.split('.'));
}

function matchWords(pattern: readonly string[], words: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return words.length === 0;
  if (head === '#') return matchWords(rest, words) || (words.length > 0 && matchWords(pattern, words.slice(1)));
  const [word, ...remaining] = words;
  if (word === undefined) return false;
  return (head === '*' || head === word) && matchWords(rest, remaining);
}
