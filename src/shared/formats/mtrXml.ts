/**
 * `mtr --xml` as mtr 0.95's xml_close (ui/report.c) writes it: an `<MTR>`
 * element with the run's header as attributes, one `<HUB COUNT HOST>` per
 * hop of the report, and one child element per `-o` field (blank excluded,
 * `Loss%` named `Loss`) holding the field exactly as the report prints it,
 * padding included. As in the report, RTTs under 0.1 ms keep their digits
 * unless `mtrCompat` asks for mtr's 0.1 ms. mtr writes names unescaped;
 * Hopscope makes them printable and escapes them, so the file is well-formed
 * whatever a reverse DNS answer holds. The import is mtrXmlImport.ts.
 */
import type { TraceDocument } from '../traceFile';
import { DEFAULT_LOCAL_HOST, type MtrStyleOptions, hopName, mtrHex, mtrMs, mtrTestCount, reportHops } from './common';
import { fieldStats, fieldsOf } from './mtrFields';
import { readableMs } from './verdictText';
import { printableText } from '../textSafety';

export interface XmlOptions extends MtrStyleOptions {
  /** mtr's `-o` letters; default `LS NABWV`. */
  fields?: string;
  /** RTTs to 0.1 ms, as mtr writes them. */
  mtrCompat?: boolean;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const attr = (text: string) => printableText(text).replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

export function toMtrXml(doc: TraceDocument, opts: XmlOptions = {}): string {
  const o = doc.options;
  const ms = opts.mtrCompat ? mtrMs : readableMs;
  const fields = fieldsOf(opts.fields).filter((f) => f.key !== ' ');
  const lines = [
    '<?xml version="1.0"?>',
    `<MTR SRC="${attr(opts.localHost ?? doc.host ?? DEFAULT_LOCAL_HOST)}" DST="${attr(doc.target.input)}"` +
      ` TOS="0x${mtrHex(o.tos ?? 0, 1)}" PSIZE="${o.size ?? 64}" BITPATTERN="0x${mtrHex(o.bitPattern ?? 0, 2)}"` +
      ` TESTS="${mtrTestCount(doc)}">`,
  ];
  for (const hop of reportHops(doc)) {
    lines.push(`    <HUB COUNT="${hop.ttl}" HOST="${attr(hopName(hop, opts.showIps))}">`);
    const stats = fieldStats(hop);
    for (const f of fields) {
      // XML names cannot hold "%": mtr renames Loss% to Loss.
      const name = f.title === 'Loss%' ? 'Loss' : f.title;
      lines.push(`        <${name}>${f.render(stats, ms)}</${name}>`);
    }
    lines.push('    </HUB>');
  }
  lines.push('</MTR>');
  return `${lines.join('\n')}\n`;
}
