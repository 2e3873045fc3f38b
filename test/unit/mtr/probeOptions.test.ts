/** Probe options are validated once per object and carried as a branded value the encoder trusts. */
import { describe, expect, it, vi } from 'vitest';
import { probeOptionsSchema, type ProbeOptions } from '@shared/probe';
import {
  encodeSendProbe,
  isValidProbeOptions,
  validateProbeOptions,
  ValidationError,
  withProbeFields,
  type ValidProbeOptions,
} from '../../../src/main/mtr';

describe('validateProbeOptions', () => {
  it('parses each options object once, however often it is passed', () => {
    const parse = vi.spyOn(probeOptionsSchema, 'safeParse');
    try {
      const options: ProbeOptions = { ttl: 4, protocol: 'udp', timeoutSec: 2 };
      const first = validateProbeOptions(options);
      for (let i = 0; i < 50; i++) expect(validateProbeOptions(options)).toBe(first);
      for (let i = 0; i < 50; i++) encodeSendProbe(i + 1, '198.18.0.1', options);
      expect(validateProbeOptions(first)).toBe(first);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('returns a frozen, branded copy; a plain object cast to the brand is not trusted', () => {
    const valid = validateProbeOptions({ ttl: 4 });
    expect(Object.isFrozen(valid)).toBe(true);
    expect(isValidProbeOptions(valid)).toBe(true);
    const forged = { ttl: 999 } as unknown as ValidProbeOptions;
    expect(isValidProbeOptions(forged)).toBe(false);
    expect(() => encodeSendProbe(1, '198.18.0.1', forged)).toThrow(ValidationError);
  });

  it('names the offending field through the shared schema-problem wording', () => {
    const fieldOf = (options: unknown) => {
      try {
        validateProbeOptions(options as ProbeOptions);
      } catch (err) {
        return [(err as ValidationError).field, (err as Error).message];
      }
      return null;
    };
    expect(fieldOf({ ttl: 300 })).toEqual(['ttl', 'ttl: TTL must be between 0 and 255']);
    expect(fieldOf({ bogus: 1 })?.[0]).toBe('bogus');
    expect(fieldOf('nope')?.[0]).toBe('options');
  });

  it('withProbeFields checks only the changed fields and keeps the brand', () => {
    const base = validateProbeOptions({ protocol: 'icmp', timeoutSec: 2 });
    const hop = withProbeFields(base, { ttl: 7 });
    expect(isValidProbeOptions(hop)).toBe(true);
    expect(hop).toEqual({ protocol: 'icmp', timeoutSec: 2, ttl: 7 });
    expect(encodeSendProbe(5, '198.18.0.1', hop)).toBe('5 send-probe ip-4 198.18.0.1 protocol icmp ttl 7 timeout 2\n');
    expect(() => withProbeFields(base, { ttl: 256 })).toThrow(ValidationError);
    // The per-probe TTL check skips zod for good values; bad ones still get the schema's message.
    for (const [ttl, message] of [
      [256, 'ttl: TTL must be between 0 and 255'],
      [-1, 'ttl: TTL must be between 0 and 255'],
      [1.5, 'ttl: TTL must be a whole number'],
      ['7', 'ttl: TTL must be a number'],
      [Number.NaN, 'ttl: TTL must be a number'],
    ] as const) {
      expect(() => withProbeFields(base, { ttl: ttl as number })).toThrow(message);
    }
    expect(withProbeFields(base, { ttl: 0 }).ttl).toBe(0);
    expect(withProbeFields(base, { ttl: 255 }).ttl).toBe(255);
    expect(() => withProbeFields(base, { localIp: '198.18.0.1\n2 send-probe' })).toThrow(ValidationError);
  });
});
