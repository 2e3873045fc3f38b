/* eslint-disable no-control-regex -- recognising control characters and binary signatures is this file's job */
/**
 * Says what a file that is not a trace file is, so the user reads "a PNG
 * image" or "an mtr text report: run mtr with --json" rather than a JSON
 * parser's position. Works on the text as the file was read (UTF-8 or
 * Latin-1 decoding of binary files both recognised).
 */

/** A file Hopscope recognises but does not open, with what to do instead. */
export interface Unsupported {
  what: string;
  fix: string;
}

const JSON_REPORT_FIX =
  'run mtr again with --json (for example `mtr --json -c 10 HOST > trace.json`) and open that file';

const BINARY_SIGNATURES: [RegExp, string][] = [
  [/^[\u0089\ufffd]PNG\r\n\u001a\n/, 'a PNG image'],
  [/^\u00ff\u00d8\u00ff|^\ufffd{3}[\s\S]{0,8}(JFIF|Exif)/, 'a JPEG image'],
  [/^GIF8[79]a/, 'a GIF image'],
  [/^RIFF[\s\S]{4}WEBP/, 'a WebP image'],
  [/^%PDF-/, 'a PDF document'],
  [/^PK\u0003\u0004/, 'a ZIP archive (or an Office document)'],
  [/^\u001f[\u008b\ufffd]/, 'a gzip-compressed file'],
  [/^\u00d4\u00c3\u00b2\u00a1|^\u00a1\u00b2\u00c3\u00d4|^\n\r\r\n/, 'a packet capture'],
  [/^\u007fELF/, 'a program (ELF executable)'],
  [/^SQLite format 3\u0000/, 'an SQLite database'],
];

/** What kind of non-trace file `text` is; null when it is no recognisable kind. */
export function describeForeignFile(text: string): string | null {
  for (const [signature, what] of BINARY_SIGNATURES) if (signature.test(text)) return what;
  const head = text.slice(0, 4096);
  if (/^\s*<svg[\s>]/i.test(head) || /^<\?xml[^>]*\?>\s*<svg[\s>]/i.test(head)) return 'an SVG image';
  if (/^\s*(<!doctype html|<html[\s>])/i.test(head)) return 'an HTML page';
  if (/^\s*<\?xml/.test(head)) return 'an XML file that is not an mtr --xml report';
  // Control characters other than tab and line ends, or replacement characters: a binary file.
  const strange = head.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g)?.length ?? 0;
  if (strange > 0 && strange * 20 > head.length) return 'a binary file';
  return null;
}

/** Output of mtr and its peers that carries no statistics Hopscope can read back. */
export function recogniseUnsupported(text: string): Unsupported | null {
  const head = text.slice(0, 4096);
  if (/^Start: \S+\s*\r?\nHOST: .*Loss%/.test(head) || /^HOST: .*Loss%/.test(head)) {
    return {
      what: 'an mtr text report (mtr -r / --report), which rounds its figures for reading and cannot be opened',
      fix: JSON_REPORT_FIX,
    };
  }
  if (/^MTR\.[^;\n]*;\d+;[A-Z]+;/.test(head)) {
    return {
      what: 'an mtr CSV report in the old semicolon layout (before mtr 0.87), which has no loss figures',
      fix: JSON_REPORT_FIX,
    };
  }
  if (/^\s*(Keys:\s+Help|My traceroute\s+\[v)/m.test(head)) {
    return { what: 'a saved mtr screen (curses display)', fix: JSON_REPORT_FIX };
  }
  if (/^traceroute6? to \S+ \(\S+\), \d+ hops max/.test(head)) {
    return {
      what: 'traceroute text output, which records one probe per line without loss statistics',
      fix: 'trace the target with mtr --json or with Hopscope and open that file',
    };
  }
  return null;
}
