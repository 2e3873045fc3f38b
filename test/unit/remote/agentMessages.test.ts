import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAgentMessage } from '../../../src/main/remote/agentMessages';
import { host, hop, sample, summary } from '../../fixtures/traceBuilders';

const text = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const event = (payload: unknown) => text({ t: 'event', event: 'sessionEvents', payload });
const goodBatch = {
  sessionId: 't-0123',
  seq: 3,
  events: [
    { type: 'state', summary: summary({ id: 't-0123' }) },
    {
      type: 'hops',
      hops: [hop(1, [host('192.0.2.1')])],
      samples: [{ ttl: 1, samples: [sample(0, '192.0.2.1', 1.5)] }],
    },
  ],
};

describe('messages from an agent', () => {
  it('takes the three shapes of the view protocol', () => {
    expect(parseAgentMessage(text({ t: 'hello', platform: 'linux', view: 'agent', readOnly: true }), false)).toEqual({
      t: 'hello',
      readOnly: true,
    });
    expect(parseAgentMessage(text({ t: 'result', id: 4, result: { ok: true, value: [1] } }), false)).toEqual({
      t: 'result',
      id: 4,
      result: { ok: true, value: [1] },
    });
    const parsed = parseAgentMessage(event(goodBatch), false);
    expect(parsed).toMatchObject({ t: 'event', batch: { sessionId: 't-0123', seq: 3 } });
  });

  it.each([
    ['binary', Buffer.from([0xff, 0x00]), true, 'binary message'],
    ['not JSON', text('{"t":'), false, 'not JSON'],
    ['an array', text([1, 2]), false, 'unexpected message'],
    ['an unknown type', text({ t: 'invoke', id: 1, name: 'stopSession' }), false, 'unexpected message'],
    ['a result without id', text({ t: 'result', result: { ok: true, value: 1 } }), false, 'id'],
    ['another event', text({ t: 'event', event: 'menuCommand', payload: 'open' }), false, 'event'],
    [
      'an error result with a huge message',
      text({ t: 'result', id: 1, result: { ok: false, error: { code: 'failed', message: 'x'.repeat(5000) } } }),
      false,
      'result',
    ],
  ])('refuses %s with a clear reason', (_what, data, binary, reason) => {
    const parsed = parseAgentMessage(data, binary);
    expect(parsed).toHaveProperty('error');
    expect((parsed as { error: string }).error).toContain(reason);
  });

  it.each([
    ['a batch without events', { sessionId: 'a', seq: 1 }, 'events'],
    ['a negative seq', { ...goodBatch, seq: -1 }, 'seq'],
    ['an unknown event', { ...goodBatch, events: [{ type: 'exec', command: 'rm' }] }, 'events[0]'],
    ['a TTL out of range', { ...goodBatch, events: [{ type: 'destination-reached', ttl: 999 }] }, 'events[0].ttl'],
    [
      'a summary with an invalid option',
      { ...goodBatch, events: [{ type: 'state', summary: { ...summary(), options: { target: 'a b' } } }] },
      'events[0].summary.options',
    ],
    [
      'a hostname too long to be one',
      { ...goodBatch, events: [{ type: 'hostname', address: '192.0.2.1', hostname: 'h'.repeat(10_000) }] },
      'hostname',
    ],
    ['too many events', { ...goodBatch, events: Array(5000).fill({ type: 'destination-reached', ttl: 3 }) }, 'events'],
  ])('refuses %s, naming the field', (_what, payload, field) => {
    const parsed = parseAgentMessage(event(payload), false);
    expect((parsed as { error: string }).error).toMatch(/^the agent sent a malformed event batch: /);
    expect((parsed as { error: string }).error).toContain(field);
  });

  it('does not let a __proto__ key through into what it returns', () => {
    const hostile = `{"t":"event","event":"sessionEvents","payload":{"sessionId":"a","seq":1,"events":[],"__proto__":{"polluted":1}}}`;
    const parsed = parseAgentMessage(Buffer.from(hostile), false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if ('batch' in parsed) expect(Object.getPrototypeOf(parsed.batch)).toBe(Object.prototype);
  });

  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ t: 'event', event: 'sessionEvents', payload: v })),
        ),
        (raw) => {
          const parsed = parseAgentMessage(Buffer.from(raw), false);
          expect(typeof parsed).toBe('object');
        },
      ),
      { numRuns: 300 },
    );
  });
});
