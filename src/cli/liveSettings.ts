/**
 * What the live view's option keys (mtr's `c i f m s b Q` and `o`) make of
 * the text typed at their prompt: new trace options, checked by the same
 * schema as the command line's flags, or the one reason they are refused.
 * Pure: the session is changed by liveControl, and only with options that
 * passed here, so a bad value changes nothing.
 */
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import { fieldOrderSchema } from '@shared/mtrOutputOptions';
import { DEFAULT_FIELD_ORDER } from '@shared/formats/mtrFields';
import { firstSchemaProblem } from '@shared/schemaProblem';
import { MTR_PACKET_MAX_SIZE } from '@shared/probe';
import { numberOfText } from '@shared/numberText';

/** The keys that change a trace option, as mtr spells them (`Q` is the TOS, never quit). */
export const SETTING_KEYS = ['c', 'i', 'f', 'm', 's', 'b', 'Q'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

interface Setting {
  /** The option's name in messages and at the prompt. */
  name: string;
  option: 'count' | 'intervalSec' | 'firstTtl' | 'maxTtl' | 'size' | 'bitPattern' | 'tos';
  /** What the prompt says about the value wanted. */
  hint: string;
  /** `0x…` accepted, as the -B and -Q flags take it. */
  hex?: boolean;
  /** How the current value reads. */
  now: (o: TraceOptions) => string;
}

const orDefault = (value: number | undefined) => (value === undefined ? 'default' : String(value));

export const SETTINGS: Readonly<Record<SettingKey, Setting>> = {
  c: {
    name: 'report cycles',
    option: 'count',
    hint: 'rounds from now, then the report; 0: until q',
    now: (o) => (o.count === null ? 'until q' : String(o.count)),
  },
  i: { name: 'interval', option: 'intervalSec', hint: 'seconds between rounds', now: (o) => `${o.intervalSec} s` },
  f: { name: 'first TTL', option: 'firstTtl', hint: '1-255', now: (o) => String(o.firstTtl) },
  m: { name: 'max TTL', option: 'maxTtl', hint: '1-255', now: (o) => String(o.maxTtl) },
  s: {
    name: 'packet size',
    option: 'size',
    hint: `bytes, 0-${MTR_PACKET_MAX_SIZE}`,
    now: (o) => orDefault(o.size),
  },
  b: {
    name: 'bit pattern',
    option: 'bitPattern',
    hint: '0-255 or 0x..',
    hex: true,
    now: (o) => orDefault(o.bitPattern),
  },
  Q: { name: 'TOS', option: 'tos', hint: '0-255 or 0x..', hex: true, now: (o) => orDefault(o.tos) },
};

export type SettingOutcome = { ok: true; options: TraceOptions; what: string } | { ok: false; message: string };

/** mtr's negative `s` and `b` ask for random sizes and patterns per probe, which mtr-packet's protocol has not. */
function mtrOnlyValue(key: SettingKey, value: number): string | null {
  if (key === 's' && value < 0)
    return `random packet sizes (mtr's s below 0) are not available: give 0 to ${MTR_PACKET_MAX_SIZE}`;
  if (key === 'b' && value < 0) return "a random bit pattern (mtr's b below 0) is not available: give 0 to 255";
  return null;
}

/**
 * The options after `key` took `text`, or why not. The current options are
 * valid, so a refusal always names the value typed.
 */
export function settingChange(key: SettingKey, text: string, options: TraceOptions): SettingOutcome {
  const setting = SETTINGS[key];
  const refused = (why: string): SettingOutcome => ({
    ok: false,
    message: `${setting.name} ${text.trim()} refused: ${why}`,
  });
  const value = numberOfText(text, setting.hex);
  if (value === null) return refused(`${setting.name} must be a number${setting.hex ? ' (or 0x hex)' : ''}`);
  const mtrOnly = mtrOnlyValue(key, value);
  if (mtrOnly) return refused(mtrOnly);
  const next: Record<string, unknown> = { ...options };
  if (key === 'c' && value === 0) {
    // mtr's "default n=infinite"; a grace time belongs to a counted run only.
    next.count = null;
    delete next.graceSec;
  } else next[setting.option] = value;
  const parsed = traceOptionsSchema.safeParse(next, { jitless: true });
  if (!parsed.success) return refused(firstSchemaProblem(parsed.error).message);
  // The same value again changes nothing, except a count: `c N` counts N rounds from now.
  const same = parsed.data[setting.option] === options[setting.option] && !(key === 'c' && value !== 0);
  if (same) return { ok: false, message: `${setting.name} is already ${setting.now(options)}: nothing changed` };
  return { ok: true, options: parsed.data, what: `${setting.name} ${setting.now(parsed.data)}` };
}

export type FieldOrderOutcome = { ok: true; fields: string } | { ok: false; message: string };

/** mtr's `o`: the columns in the order typed, checked as `-o` is. */
export function fieldOrderChange(text: string): FieldOrderOutcome {
  const parsed = fieldOrderSchema.safeParse(text, { jitless: true });
  if (!parsed.success)
    return { ok: false, message: `fields "${text}" refused: ${firstSchemaProblem(parsed.error).message}` };
  return { ok: true, fields: parsed.data };
}

/** How the prompt of `o` shows the current order. */
export const fieldOrderNow = (fields: string | undefined) => fields ?? DEFAULT_FIELD_ORDER;
