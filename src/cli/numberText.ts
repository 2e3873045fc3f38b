/**
 * How a number is typed to the CLI, at a flag or at a live-view prompt: one rule for both. mtr reads
 * these with strtod/strtol, so decimals and exponents ("0.5", "1e-1") count, and "0x10" where the
 * option takes hex (TOS, bit pattern); trailing junk ("10abc"), an empty text, "inf" and "nan" do not.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const HEX = /^0x[0-9a-f]+$/i;

/** The number `text` spells, or null. */
export function numberOfText(text: string, hex = false): number | null {
  const t = text.trim();
  if (hex && HEX.test(t)) return parseInt(t, 16);
  return DECIMAL.test(t) ? Number(t) : null;
}
