/* eslint-disable no-control-regex -- recognising control characters and binary signatures is this file's job */
/**
 * Text from the network (reverse-DNS names) or from opened files reaches
 * terminals, spreadsheets and images. These two functions are the only gate:
 * every text output runs names through them.
 */

/**
 * C0 and C1 control characters, DEL, and the Unicode bidirectional and line
 * separators: they move the cursor, recolour or reorder a terminal or a line
 * of text, so a host name must never carry them into output.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shown in place of each control character: visible, and never itself a control. */
export const CONTROL_REPLACEMENT = '\ufffd';

/** `text` with every control character replaced, safe to print in a report, a terminal or an image. */
export function printableText(text: string): string {
  return text.replace(CONTROL, CONTROL_REPLACEMENT);
}

/** True when a spreadsheet would run the cell as a formula (OWASP CSV injection: = + - @, tab, CR). */
export function isFormulaLeading(cell: string): boolean {
  return /^[\s]*[=+\-@]/.test(cell) || /^[\t\r]/.test(cell);
}

/**
 * One CSV text cell: printable, neutralised when a spreadsheet would take it
 * as a formula (prefixed with `'`, as OWASP recommends), and quoted only
 * when it holds a quote or a comma (mtr never quotes, and plain names stay
 * byte-identical to mtr's).
 */
export function csvTextCell(value: string): string {
  let text = printableText(value);
  if (isFormulaLeading(text)) text = `'${text}`;
  return /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
