/**
 * Whether a topic-exchange binding key (`item.created.v1`, `item.*.v1`, `#`) routes `routingKey`,
 * by RabbitMQ's rules: words split on `.`, `*` is exactly one word, `#` zero or more.
 */
export function bindingMatches(binding: string, routingKey: string): boolean {
  const pattern = binding.split('.');
  const words = routingKey.split('.');
  const match = (p: number, w: number): boolean => {
    if (p === pattern.length) return w === words.length;
    const part = pattern[p];
    if (part === '#') {
      for (let next = w; next <= words.length; next += 1) if (match(p + 1, next)) return true;
      return false;
    }
    if (w === words.length) return false;
    return (part === '*' || part === words[w]) && match(p + 1, w + 1);
  };
  return match(0, 0);
}
