/**
 * Import of `mtr --xml`: an `<MTR>` element with the run's header as
 * attributes and one `<HUB COUNT=".." HOST="..">` per hop whose child
 * elements are the statistics, printed as mtr prints them in a report (so
 * RTTs come rounded to 0.1 ms). Read with a small scanner: the layout is
 * fixed and the renderer has no XML parser to share.
 */
import { targetSchema } from '../probe';
import { MTR_STAT_TITLES, type MtrHub, mtrReportToDocument } from './mtrReportImport';
import type { ConvertResult } from './validated';
import { MAX_HOPS } from '../limits';

/** Child element names mtr writes: its column titles without "%". */
const statOf = (element: string) => MTR_STAT_TITLES[element === 'Loss' ? 'Loss%' : element];

export function looksLikeMtrXml(text: string): boolean {
  return /^(<\?xml[^>]*\?>\s*)?<MTR[\s>]/.test(text);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) out.set(m[1] ?? '', decode(m[2] ?? ''));
  return out;
}

/** Validates and converts an mtr XML report. Never throws. */
export function parseMtrXml(text: string): ConvertResult {
  const root = /<MTR(\s[^>]*)?>/.exec(text);
  if (!root) return { ok: false, error: 'no <MTR> element' };
  const head = attributes(root[1] ?? '');
  const dst = head.get('DST');
  if (dst === undefined) return { ok: false, error: '<MTR>: no DST attribute' };
  const target = targetSchema.safeParse(dst);
  if (!target.success) return { ok: false, error: `<MTR> DST: ${target.error.issues[0]?.message ?? 'invalid'}` };
  if (!/<\/MTR>\s*$/.test(text)) return { ok: false, error: 'the report is cut short (no closing </MTR>)' };

  const hubs: MtrHub[] = [];
  for (const [i, m] of [...text.matchAll(/<HUB(\s[^>]*)?>([\s\S]*?)<\/HUB>/g)].entries()) {
    if (i >= MAX_HOPS) return { ok: false, error: `more than ${MAX_HOPS} hops` };
    const where = `<HUB> ${i + 1}`;
    const attrs = attributes(m[1] ?? '');
    const count = attrs.get('COUNT') ?? '';
    if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > 255)
      return { ok: false, error: `${where}: COUNT must be a hop number from 1 to 255, found ${JSON.stringify(count)}` };
    const host = attrs.get('HOST');
    if (host === undefined || host === '') return { ok: false, error: `${where}: no HOST` };
    const hub: MtrHub = { count: Number(count), host };
    for (const e of (m[2] ?? '').matchAll(/<(\w+)>([^<]*)<\/\1>/g)) {
      const key = statOf(e[1] ?? '');
      if (key === undefined) continue;
      const raw = (e[2] ?? '').trim().replace(/%$/, '');
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value) || value < 0 || (key === 'Loss%' && value > 100))
        return { ok: false, error: `${where} <${e[1]}>: expected a number, found ${JSON.stringify(e[2])}` };
      hub[key] = value;
    }
    hubs.push(hub);
  }
  if (hubs.length === 0) return { ok: false, error: 'no <HUB> elements' };

  const tests = head.get('TESTS');
  const tos = head.get('TOS');
  return mtrReportToDocument(
    {
      dst,
      ...(head.has('SRC') ? { src: head.get('SRC') } : {}),
      ...(tests !== undefined && /^\d+$/.test(tests) ? { tests: Number(tests) } : {}),
      ...(tos !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(tos) ? { tos: Number(tos) } : {}),
      psize: head.get('PSIZE'),
      bitpattern: head.get('BITPATTERN'),
      toolVersion: 'unknown',
    },
    hubs,
    'HUB',
  );
}
