import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SETTINGS,
  SETTING_KEYS,
  fieldOrderChange,
  settingChange,
  type SettingKey,
} from '../../../src/cli/liveSettings';
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import { MTR_PACKET_MAX_SIZE } from '@shared/probe';
import { numberOfText } from '@shared/numberText';
import { MTR_FIELDS } from '@shared/formats/mtrFields';

const base = traceOptionsSchema.parse({ target: '192.0.2.1', firstTtl: 2, maxTtl: 20, intervalSec: 1, count: 5 });

/** A value each key accepts, and the option it lands in. */
const goodValues: Record<SettingKey, fc.Arbitrary<number>> = {
  c: fc.integer({ min: 1, max: 1_000_000 }),
  i: fc.double({ min: 0.05, max: 3600, noNaN: true }).map((v) => Math.round(v * 100) / 100),
  f: fc.integer({ min: 1, max: 20 }),
  m: fc.integer({ min: 2, max: 255 }),
  s: fc.integer({ min: 0, max: MTR_PACKET_MAX_SIZE }),
  b: fc.integer({ min: 0, max: 255 }),
  Q: fc.integer({ min: 0, max: 255 }),
};

const refusal = (key: SettingKey, text: string, options: TraceOptions = base) => {
  const outcome = settingChange(key, text, options);
  if (outcome.ok) throw new Error(`${key} ${text} was accepted`);
  return outcome.message;
};

describe("the live view's option keys (c i f m s b Q)", () => {
  it('take any value the command line would, changing that option and nothing else', () => {
    const keyAndValue = fc.constantFrom(...SETTING_KEYS).chain((key) => fc.tuple(fc.constant(key), goodValues[key]));
    fc.assert(
      fc.property(keyAndValue, ([key, value]) => {
        const outcome = settingChange(key, String(value), base);
        const option = SETTINGS[key].option;
        if (base[option] === value && key !== 'c') {
          expect(outcome).toEqual({ ok: false, message: `${SETTINGS[key].name} is already ${value}: nothing changed` });
          return;
        }
        expect(outcome).toEqual({
          ok: true,
          options: { ...base, [option]: value },
          what: `${SETTINGS[key].name} ${SETTINGS[key].now({ ...base, [option]: value })}`,
        });
      }),
    );
  });

  it('refuse what the schema refuses, with its message and the value typed', () => {
    expect(refusal('i', '0.01')).toBe('interval 0.01 refused: interval must be at least 0.05 seconds');
    expect(refusal('f', '21')).toBe('first TTL 21 refused: first TTL 21 must not exceed max TTL 20');
    expect(refusal('m', '1')).toBe('max TTL 1 refused: first TTL 2 must not exceed max TTL 1');
    expect(refusal('m', '256')).toBe('max TTL 256 refused: max TTL must be between 1 and 255');
    expect(refusal('f', '1.5')).toBe('first TTL 1.5 refused: first TTL must be a whole number');
    expect(refusal('Q', '256')).toBe('TOS 256 refused: TOS must be between 0 and 255');
    expect(refusal('c', '-3')).toBe('report cycles -3 refused: count must be at least 1');
  });

  it("refuse mtr's random sizes and patterns, and sizes mtr-packet cannot build, before any probe fails", () => {
    expect(refusal('s', '-1')).toMatch(/^packet size -1 refused: random packet sizes .* give 0 to 9000$/);
    expect(refusal('b', '-1')).toMatch(/^bit pattern -1 refused: a random bit pattern .* give 0 to 255$/);
    expect(refusal('s', String(MTR_PACKET_MAX_SIZE + 1))).toBe(
      'packet size 9001 refused: packet size must be between 0 and 9000',
    );
  });

  it('refuse anything that is not a number, naming it', () => {
    const notNumbers = fc.string({ maxLength: 8 }).filter((t) => numberOfText(t, true) === null);
    fc.assert(
      fc.property(fc.constantFrom(...SETTING_KEYS), notNumbers, (key, text) => {
        const message = refusal(key, text);
        expect(message.startsWith(`${SETTINGS[key].name} ${text.trim()} refused: `)).toBe(true);
        expect(message).toMatch(/must be a number/);
      }),
    );
  });

  it('read 0x hex for the bit pattern and the TOS, as -B and -Q do, and nowhere else', () => {
    expect(settingChange('Q', '0x10', base)).toMatchObject({ ok: true, options: { tos: 16 } });
    expect(settingChange('b', '0xff', base)).toMatchObject({ ok: true, options: { bitPattern: 255 } });
    expect(refusal('m', '0x10')).toBe('max TTL 0x10 refused: max TTL must be a number');
  });

  it('c 0 runs until stopped (dropping a grace time, which needs a count); c n counts n from now even if n is the count', () => {
    const graced = { ...base, graceSec: 2 };
    expect(settingChange('c', '0', graced)).toEqual({
      ok: true,
      options: { ...base, count: null },
      what: 'report cycles until q',
    });
    expect(settingChange('c', '5', base)).toEqual({ ok: true, options: base, what: 'report cycles 5' });
    expect(refusal('c', '0', { ...base, count: null })).toBe('report cycles is already until q: nothing changed');
  });
});

describe("the live view's o key", () => {
  const letters = [...MTR_FIELDS.keys()];

  it('takes any order of mtr field letters and spaces, up to 20', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 20 }), (order) => {
        expect(fieldOrderChange(order.join(''))).toEqual({ ok: true, fields: order.join('') });
      }),
    );
  });

  it('refuses an unknown letter by name, and too many fields', () => {
    const unknown = fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !MTR_FIELDS.has(c));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { maxLength: 5 }), unknown, (before, bad) => {
        const text = `${before.join('')}${bad}L`;
        const outcome = fieldOrderChange(text);
        expect(outcome).toEqual({
          ok: false,
          message: expect.stringContaining(`unknown field letter ${JSON.stringify(bad)}`) as string,
        });
      }),
    );
    expect(fieldOrderChange('L'.repeat(21))).toEqual({
      ok: false,
      message: `fields "${'L'.repeat(21)}" refused: at most 20 fields, got 21`,
    });
  });
});
