import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './auth.ts';

describe('the page a sign-in returns to', () => {
  it('keeps a path of the console, with its query', () => {
    expect(safeReturnPath('/messages/abc?x=1')).toBe('/messages/abc?x=1');
    expect(safeReturnPath('/queues')).toBe('/queues');
  });

  it.each(['//evil.example/x', '/\\evil.example/x', '/\\/evil.example', 'https://evil.example/', 'evil.example', '', undefined])('sends %j to the groups instead of another host', (value) => {
    expect(safeReturnPath(value)).toBe('/groups');
  });
});
