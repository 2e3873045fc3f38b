/**
 * Property-based checks of the IPC boundary: for every invoke channel,
 * malformed payloads come back as `invalid-request` naming the bad field,
 * through validateInvokeRequest and TraceService.dispatch alike, and
 * nothing ever throws.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INVOKE_NAMES, invokeContract, validateInvokeRequest, type InvokeName } from '@shared/ipc';
import { MTR_PACKET_MAX_SIZE } from '@shared/probe';
import { TraceService } from '../../../src/main/service/traceService';
import { FULL_TRACE_OPTIONS, VALID_PAYLOADS } from './payloads';

const NO_ARG_CHANNELS = INVOKE_NAMES.filter((n) => VALID_PAYLOADS[n] === undefined);
const OBJECT_CHANNELS = INVOKE_NAMES.filter((n) => VALID_PAYLOADS[n] !== undefined);

// No probes can be sent: the service never gets a working mtr-packet.
const service = new TraceService({ mtrPacketPath: '/nonexistent/hopscope-test/mtr-packet' });

function expectInvalid(result: unknown, field?: string): void {
  expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  const error = (result as { error: { field?: unknown; message?: unknown } }).error;
  expect(typeof error.field).toBe('string');
  expect(typeof error.message).toBe('string');
  if (field !== undefined) expect(error.field).toBe(field);
}

/** Both entry points must agree and never throw. */
async function checkRejected(name: InvokeName, payload: unknown, field?: string): Promise<void> {
  let direct: unknown;
  expect(() => (direct = validateInvokeRequest(name, payload))).not.toThrow();
  expectInvalid(direct, field);
  const viaService = await service.dispatch(name, payload);
  expectInvalid(viaService, field);
  expect(viaService).toEqual(direct);
}

function withKey(base: unknown, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...(base as Record<string, unknown>) };
  // defineProperty, so a key like "__proto__" becomes a real own key as it would from JSON.parse.
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

const nonObject = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.array(fc.anything()),
);

/** Whitespace and control characters that must never reach mtr-packet or DNS. */
const badChar = fc.constantFrom('\n', '\r', '\r\n', '\t', ' ', '\0', '\u000b', '\u0085', '\u2028');
const withBadChar = fc
  .tuple(fc.constantFrom('', 'r1.hopscope.test', '192.0.2.1', 'a'), badChar, fc.string({ maxLength: 20 }))
  .map(([a, c, b]) => a + c + b);

describe('every invoke channel rejects malformed payloads', () => {
  it('covers the whole contract', () => {
    expect(new Set([...NO_ARG_CHANNELS, ...OBJECT_CHANNELS])).toEqual(new Set(Object.keys(invokeContract)));
  });

  it.each(NO_ARG_CHANNELS)('%s: any argument at all is invalid', async (name) => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything().filter((v) => v !== undefined),
        (payload) => checkRejected(name, payload, ''),
      ),
      { numRuns: 60 },
    );
  });

  it.each(OBJECT_CHANNELS)('%s: non-object payloads are invalid', async (name) => {
    await fc.assert(
      fc.asyncProperty(nonObject, (payload) => checkRejected(name, payload, '')),
      { numRuns: 60 },
    );
    await checkRejected(name, undefined, '');
  });

  it.each(OBJECT_CHANNELS)('%s: extra keys are invalid', async (name) => {
    const known = new Set(Object.keys(VALID_PAYLOADS[name] as object));
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k)),
        fc.anything(),
        (key, value) => checkRejected(name, withKey(VALID_PAYLOADS[name], key, value)),
      ),
      { numRuns: 40 },
    );
  });

  it.each(OBJECT_CHANNELS)('%s: a field of the wrong type is reported by name', async (name) => {
    const base = VALID_PAYLOADS[name] as Record<string, unknown>;
    for (const [key, good] of Object.entries(base)) {
      await fc.assert(
        fc.asyncProperty(
          fc.anything().filter((v) => v !== undefined && v !== null && typeof v !== typeof good),
          (bad) => checkRejected(name, withKey(base, key, bad), key),
        ),
        { numRuns: 15 },
      );
    }
  });

  it('arbitrary payloads never throw and are either valid or invalid-request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INVOKE_NAMES), fc.anything(), async (name, payload) => {
        const direct = validateInvokeRequest(name, payload);
        if (!direct.ok) await checkRejected(name, payload);
      }),
      { numRuns: 300 },
    );
  });

  it('unknown channel names (including Object.prototype members) are invalid, not a crash', async () => {
    const names = fc.oneof(
      fc.string(),
      fc.constantFrom('toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'),
    );
    await fc.assert(
      fc.asyncProperty(
        names.filter((n) => !Object.hasOwn(invokeContract, n)),
        fc.anything(),
        async (name, payload) => {
          const result = await service.dispatch(name as InvokeName, payload);
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('targets and ids with whitespace or control characters', () => {
  it('startSession target', async () => {
    await fc.assert(fc.asyncProperty(withBadChar, (target) => checkRejected('startSession', { target }, 'target')));
  });

  it('resolveTarget target', async () => {
    await fc.assert(fc.asyncProperty(withBadChar, (target) => checkRejected('resolveTarget', { target }, 'target')));
  });

  it('updateSession options.target', async () => {
    await fc.assert(
      fc.asyncProperty(withBadChar, (target) =>
        checkRejected('updateSession', { sessionId: 'abc', options: { target } }, 'options.target'),
      ),
    );
  });

  it('session ids', async () => {
    const ids = fc.oneof(
      withBadChar,
      fc.constant(''),
      fc.string({ minLength: 65, maxLength: 80 }).map((s) => 'a'.repeat(65) + s),
    );
    for (const name of [
      'stopSession',
      'pauseSession',
      'resumeSession',
      'closeSession',
      'getSessionDocument',
    ] as const) {
      await fc.assert(
        fc.asyncProperty(ids, (sessionId) => checkRejected(name, { sessionId }, 'sessionId')),
        {
          numRuns: 30,
        },
      );
    }
  });

  it('localIp must be an address literal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(withBadChar, fc.constantFrom('localhost', '1.2.3', '::1%eth0', '01.2.3.4')),
        (localIp) => checkRejected('startSession', { target: '192.0.2.1', localIp }, 'localIp'),
      ),
    );
  });
});

describe('out-of-range numbers in trace options', () => {
  const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);
  const fraction = fc.double({ min: 0.01, max: 0.99, noNaN: true }).filter((d) => !Number.isInteger(d));
  const intOutside = (min: number, max: number) =>
    fc.oneof(
      fc.integer({ min: 1, max: 1e9 }).map((d) => min - d),
      fc.integer({ min: 1, max: 1e9 }).map((d) => max + d),
      fraction.map((f) => min + f),
      nonFinite,
    );
  const cases: [keyof typeof FULL_TRACE_OPTIONS, fc.Arbitrary<number>][] = [
    ['firstTtl', intOutside(1, 255)],
    ['maxTtl', intOutside(1, 255)],
    ['port', intOutside(1, 65535)],
    ['localPort', intOutside(1, 65535)],
    ['size', intOutside(0, MTR_PACKET_MAX_SIZE)],
    ['bitPattern', intOutside(0, 255)],
    ['tos', intOutside(0, 255)],
    ['mark', intOutside(0, 0xffffffff)],
    ['count', intOutside(1, 1_000_000)],
    ['sampleBufferSize', intOutside(1, 100_000)],
    [
      'intervalSec',
      fc.oneof(fc.double({ max: 0.0499, noNaN: true }), fc.double({ min: 3600.001, noNaN: true }), nonFinite),
    ],
    ['timeoutSec', fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 3600.001, noNaN: true }), nonFinite)],
    ['ipVersion', fc.integer().filter((v) => v !== 4 && v !== 6)],
  ];

  it.each(cases)('%s', async (key, arbitrary) => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        await checkRejected('startSession', withKey(FULL_TRACE_OPTIONS, key, value), key);
        await checkRejected(
          'updateSession',
          { sessionId: 'abc', options: withKey(FULL_TRACE_OPTIONS, key, value) },
          `options.${key}`,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('first TTL above max TTL is reported on firstTtl', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 }), async (a, b) => {
        fc.pre(a !== b);
        const [low, high] = a < b ? [a, b] : [b, a];
        await checkRejected('startSession', { target: '192.0.2.1', firstTtl: high, maxTtl: low }, 'firstTtl');
      }),
    );
  });

  it('a port with ICMP is rejected', async () => {
    await checkRejected('startSession', { target: '192.0.2.1', protocol: 'icmp', port: 80 }, 'port');
  });
});

describe('valid payloads are accepted', () => {
  it.each(INVOKE_NAMES)('%s: the example payload validates', (name) => {
    expect(validateInvokeRequest(name, VALID_PAYLOADS[name])).toMatchObject({ ok: true });
  });

  it('generated trace options validate and get defaults filled in', () => {
    const options = fc.record(
      {
        target: fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()),
        protocol: fc.constantFrom('icmp', 'udp', 'tcp', 'sctp'),
        maxTtl: fc.integer({ min: 1, max: 255 }),
        count: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 1_000_000 })),
        intervalSec: fc.double({ min: 0.05, max: 3600, noNaN: true }),
        timeoutSec: fc.double({ min: 0.001, max: 3600, noNaN: true }),
        dns: fc.boolean(),
      },
      { requiredKeys: ['target'] },
    );
    fc.assert(
      fc.property(options, (o) => {
        const result = validateInvokeRequest('startSession', o);
        // fc.domain() may produce names longer than a label allows; those must fail cleanly, never throw.
        if (result.ok) {
          expect(result.value.firstTtl).toBe(1);
          expect(result.value.target).toBe(o.target);
        } else {
          expect(result.error.code).toBe('invalid-request');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('dispatch passes validation for valid payloads (and fails later, cleanly, without mtr-packet)', async () => {
    expect(await service.dispatch('listSessions', undefined)).toEqual({ ok: true, value: [] });
    expect(await service.dispatch('rendererReady', undefined)).toEqual({ ok: true, value: null });
    expect(await service.dispatch('stopSession', { sessionId: 'abc-123' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const started = await service.dispatch('startSession', { target: '127.0.0.1', count: 1 });
    expect(started).toMatchObject({ ok: false, error: { code: 'failed' } });
    const imported = await service.dispatch('importTraceText', { fileName: 'x.json', text: 'not json' });
    expect(imported).toMatchObject({ ok: true, value: { ok: false, fileName: 'x.json' } });
    // No dialogs in this service: saving is refused, not crashed.
    expect(await service.dispatch('saveTraceJson', VALID_PAYLOADS.saveTraceJson)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
