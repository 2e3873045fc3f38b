import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { numberOfText } from '@shared/numberText';
import { parseTrace } from '../cli/parseTrace';

describe('numbers typed to the CLI (flags and live-view prompts)', () => {
  it('read back every finite number as JavaScript writes it, exponents included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(numberOfText(String(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it("take mtr's forms and refuse trailing junk, empty text, inf and nan", () => {
    expect(numberOfText('1e-1')).toBe(0.1);
    expect(numberOfText(' .5 ')).toBe(0.5);
    expect(numberOfText('0x10', true)).toBe(16);
    for (const junk of ['', ' ', '10abc', '0x10', 'inf', 'Infinity', 'nan', '1e', 'e5', '1..2', '--1'])
      expect(numberOfText(junk)).toBeNull();
  });

  it('let -i take an exponent as mtr does', () => {
    expect(parseTrace(['192.0.2.1', '-i', '1e-1']).options.intervalSec).toBe(0.1);
    expect(() => parseTrace(['192.0.2.1', '-i', '1e'])).toThrow(/-i\/--interval must be a number, got "1e"/);
  });
});
