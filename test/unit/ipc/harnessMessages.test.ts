/** The harness socket's message checks: size per call before parsing, and names that are not strings. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_SOCKET_MESSAGE_BYTES,
  maxMessageBytes,
  parseInvoke,
  SMALL_MESSAGE_BYTES,
} from '../../../src/harness/messages';
import { INVOKE_NAMES } from '@shared/ipc';

const message = (text: string) => Buffer.from(text, 'utf8');

describe('message size per call', () => {
  it('every call gets a few KB but importTraceText, and the socket takes at most 1 MiB', () => {
    // The browser client parses and saves files itself: nothing it sends is large.
    for (const name of INVOKE_NAMES) {
      if (name !== 'importTraceText') expect(maxMessageBytes(name), name).toBe(SMALL_MESSAGE_BYTES);
      expect(maxMessageBytes(name)).toBeLessThanOrEqual(MAX_SOCKET_MESSAGE_BYTES);
    }
    expect(maxMessageBytes('importTraceText')).toBe(MAX_SOCKET_MESSAGE_BYTES);
    expect(MAX_SOCKET_MESSAGE_BYTES).toBe(1024 * 1024);
  });

  it('a message too large for the call it names is refused before it is parsed', () => {
    // Not even JSON after the head: a parse would say so, the size check answers first.
    const unterminated = `{"t":"invoke","id":7,"name":"startSession","payload":"${'x'.repeat(SMALL_MESSAGE_BYTES)}`;
    expect(parseInvoke(message(unterminated), false)).toEqual({
      error: `message too large for startSession: ${unterminated.length} bytes, at most ${SMALL_MESSAGE_BYTES}`,
      field: 'payload',
      id: 7,
    });
    const unnamed = `{"t":"invoke","id":8,"payload":"${'x'.repeat(SMALL_MESSAGE_BYTES)}"}`;
    expect(parseInvoke(message(unnamed), false)).toMatchObject({ id: 8, error: expect.stringMatching(/unnamed call/) });
  });

  it('a large message for a file call is parsed; its final name is checked again', () => {
    const text = 'x'.repeat(SMALL_MESSAGE_BYTES * 2);
    const valid = JSON.stringify({ t: 'invoke', id: 1, name: 'importTraceText', payload: { fileName: 'a', text } });
    expect(parseInvoke(message(valid), false)).toMatchObject({ t: 'invoke', id: 1, name: 'importTraceText' });
    const swapped = valid.slice(0, -1) + ',"name":"rendererReady"}';
    expect(parseInvoke(message(swapped), false)).toMatchObject({
      id: 1,
      error: expect.stringMatching(/^message too large for rendererReady/),
    });
  });
});

describe('call names', () => {
  it('any JSON value as a name is refused as a typed error, never thrown', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (name) => {
        fc.pre(typeof name !== 'string' || !(INVOKE_NAMES as string[]).includes(name));
        const result = parseInvoke(message(JSON.stringify({ t: 'invoke', id: 3, name })), false);
        expect(result).toMatchObject({ id: 3, field: 'name', error: expect.stringMatching(/^unknown call /) });
      }),
    );
    const crafted = parseInvoke(message('{"t":"invoke","id":4,"name":{"toString":1}}'), false);
    expect(crafted).toEqual({ id: 4, field: 'name', error: 'unknown call of type object' });
  });
});
