import { describe, expect, it } from 'vitest';
import { echoEdge } from '../test/echo-edge.ts';
import { charsetOf } from './body-encoding.ts';

const send = (app: ReturnType<typeof echoEdge>, body: string | Uint8Array, contentType = 'application/json') =>
  app.request('/api/v1/echo', { method: 'POST', body, headers: { 'content-type': contentType } });

describe('request bodies are UTF-8 or refused', () => {
  it('passes UTF-8 through unchanged, astral characters included', async () => {
    const name = 'Lampe 💡 à pied, 𝔸, 中文';
    const response = await send(echoEdge(), new TextEncoder().encode(JSON.stringify({ name })), 'application/json; charset=UTF-8');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name });
  });

  it('answers 400 problem+json for bytes that are not valid UTF-8, instead of storing replacement characters', async () => {
    for (const bytes of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xe9]]) {
      const body = new Uint8Array([...new TextEncoder().encode('{"name":"caf'), ...bytes, ...new TextEncoder().encode('"}')]);
      const response = await send(echoEdge(), body);
      expect(response.status, String(bytes)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ detail: 'The request body is not valid UTF-8.' });
    }
  });

  it('answers 415 for a body that declares another charset', async () => {
    for (const contentType of ['application/json; charset=iso-8859-1', 'application/json;charset="windows-1252"', 'application/json; charset=utf-16']) {
      const response = await send(echoEdge(), '{"name":"cafe"}', contentType);
      expect(response.status, contentType).toBe(415);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('reads the charset parameter however it is spelled', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf('application/json; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('application/json;CHARSET="utf8"')).toBe('utf8');
    expect(charsetOf('application/json; foo=bar; charset = latin1')).toBe('latin1');
  });
});
