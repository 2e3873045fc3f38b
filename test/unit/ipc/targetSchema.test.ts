/**
 * Targets: canonical IP literals and host names only. Numeric forms that a
 * resolver would read as an IPv4 address (inet_aton: one to four parts, each
 * decimal, octal or hex) are refused as names, with a message that says so.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { targetSchema } from '@shared/probe';
import { traceOptionsSchema } from '@shared/traceOptions';
import { validateInvokeRequest } from '@shared/ipc';

const NUMERIC_MESSAGE = /^target looks like a number, not a host name: write an IPv4 address as four decimal numbers/;

function problemOf(target: string): string | null {
  const parsed = targetSchema.safeParse(target);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? '?');
}

/** One inet_aton part: decimal, octal (leading 0) or hex (0x), upper or lower case. */
const numberPart = fc.oneof(
  fc.nat({ max: 0xffffffff }).map(String),
  fc.nat({ max: 0xffffffff }).map((n) => `0${n.toString(8)}`),
  fc.tuple(fc.nat({ max: 0xffffffff }), fc.constantFrom('0x', '0X')).map(([n, p]) => p + n.toString(16)),
  fc.tuple(fc.nat({ max: 0xffffffff }), fc.constantFrom('0x', '0X')).map(([n, p]) => p + n.toString(16).toUpperCase()),
);
const numericHost = fc
  .array(numberPart, { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('.'))
  .filter((v) => v.length <= 253);

describe('numeric host forms', () => {
  it.each([
    ['0x7f.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['127.0.0.01', '127.0.0.1'],
    ['192.0.2.1.', '192.0.2.1'],
  ])('refuses %s and names the address it stands for', (target, address) => {
    const problem = problemOf(target);
    expect(problem).toMatch(NUMERIC_MESSAGE);
    if (!target.endsWith('.')) expect(problem).toContain(`this one is ${address}`);
  });

  it('refuses every one- to four-part decimal, octal or hex form that is not a canonical literal', () => {
    fc.assert(
      fc.property(numericHost, (target) => {
        const problem = problemOf(target);
        // Four plain decimal parts in range are the one canonical IPv4 form.
        if (
          /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(target) &&
          target.split('.').every((p) => Number(p) < 256)
        ) {
          expect(problem).toBeNull();
        } else if (/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/.test(target)) {
          // Four plain decimal numbers, one of them out of range: that number is named.
          expect(problem).toMatch(/^target is not an IPv4 address: \d+ is more than 255$/);
        } else {
          expect(problem).toMatch(NUMERIC_MESSAGE);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the error reaches every call that takes a target, on its field', () => {
    const options = traceOptionsSchema.safeParse({ target: '2130706433' });
    expect(options.success).toBe(false);
    const resolved = validateInvokeRequest('resolveTarget', { target: '0x7f.1' });
    expect(resolved).toMatchObject({
      ok: false,
      error: { field: 'target', message: expect.stringMatching(/looks like a number/) },
    });
  });
});

describe('what stays accepted', () => {
  it('canonical IPv4 and IPv6 literals', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(problemOf(ip)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        expect(problemOf(ip)).toBeNull();
      }),
    );
  });

  it('host names, including numeric labels before a non-numeric last label', () => {
    fc.assert(
      fc.property(fc.domain(), (name) => {
        expect(problemOf(name)).toBeNull();
      }),
    );
    for (const name of [
      'r1.hopscope.test',
      '1.2.3.example',
      '0x7f.example',
      'localhost',
      'example.com.',
      '3com.com',
      'a.b1',
    ]) {
      expect(problemOf(name), name).toBeNull();
    }
  });

  it('other bad input keeps its general message', () => {
    expect(problemOf('a b')).toMatch(/^target must be an IPv4 address, an IPv6 address or a host name/);
    expect(problemOf('-bad.example')).toMatch(/^target must be/);
  });
});
