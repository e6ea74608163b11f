/**
 * Whether an AMQP topic binding key matches a routing key: words split on `.`, `*` stands for
 * exactly one word, `#` for zero or more.
 */
export function topicMatches(binding: string, routingKey: string): boolean {
  const pattern = binding.split('.');
  const words = routingKey.split('.');
  const match = (p: number, w: number): boolean => {
    if (p === pattern.length) return w === words.length;
    const part = pattern[p];
    if (part === '#') {
      for (let skip = w; skip <= words.length; skip += 1) if (match(p + 1, skip)) return true;
      return false;
    }
    if (w === words.length) return false;
    return (part === '*' || part === words[w]) && match(p + 1, w + 1);
  };
  return match(0, 0);
}
