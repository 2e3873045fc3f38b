/**
 * A number written as text, as mtr reads it (strtod/strtol) and writes it: at a CLI flag, at a live-view
 * prompt, and as a string in an mtr JSON report. Decimals and exponents ("0.5", "1e-1") count, and "0x10"
 * where the value takes hex (TOS, bit pattern); trailing junk ("10abc"), an empty text, "inf" and "nan" do not.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const HEX = /^0x[0-9a-f]+$/i;

/** The number `text` spells, or null. */
export function numberOfText(text: string, hex = false): number | null {
  const t = text.trim();
  if (hex && HEX.test(t)) return parseInt(t, 16);
  return DECIMAL.test(t) ? Number(t) : null;
}
