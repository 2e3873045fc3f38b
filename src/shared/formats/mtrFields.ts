/**
 * mtr's statistics columns (its `data_fields` in ui/mtr.c, selected with
 * `-o FIELDS`): the letter, the title, the printf width and the figure. The
 * report, the XML and the CSV lay their columns out from these, so one
 * `-o` string orders them all, as in mtr.
 */
import type { Hop } from '../traceFile';
import { cFixed, summarizeHop, type HopSummary } from './common';

/** mtr's default `-o`: loss, sent, a blank, then the RTT figures. */
export const DEFAULT_FIELD_ORDER = 'LS NABWV';

/** The jitter fields mtr's `j` key switches to: drops, received, a blank, mean RTTs and the jitter figures. */
export const JITTER_FIELD_ORDER = 'DR AGJMXI';

/** What a column shows for one hop: the pooled summary and the figures mtr derives reply by reply. */
export interface FieldStats extends HopSummary {
  /** Geometric mean of the RTTs. */
  gmeanMs: number;
  /** |newest RTT - the one before|. */
  jitterMs: number;
  /** Mean of the jitters, the first reply's counted as 0 (mtr's Javg). */
  jitterAvgMs: number;
  /** Largest jitter. */
  jitterWorstMs: number;
  /** mtr's RFC 1889 estimator, as it keeps it (in µs, sixteen times the RFC's J). */
  jitterInterarrivalMs: number;
}

export interface MtrField {
  key: string;
  title: string;
  /** Columns the field takes in a report, its leading space included. */
  width: number;
  /** The cell as mtr's printf format writes it; `ms` writes one RTT figure. */
  render: (s: FieldStats, ms: (v: number) => string) => string;
  /** The bare figure, as mtr's CSV writes it (`%d`, or `%.2f` for ms and loss). */
  csv: (s: FieldStats) => string;
  /** The figure as a number (ms, percent or a count) and whether mtr prints it as a real (`%f`) or an integer. */
  value: (s: FieldStats) => number;
  real: boolean;
}

const int = (key: string, title: string, width: number, value: (s: FieldStats) => number): MtrField => ({
  key,
  title,
  width,
  render: (s) => ` ${String(value(s)).padStart(width - 1)}`,
  csv: (s) => String(value(s)),
  value,
  real: false,
});

const time = (key: string, title: string, width: number, value: (s: FieldStats) => number | null): MtrField => ({
  key,
  title,
  width,
  render: (s, ms) => ` ${ms(value(s) ?? 0).padStart(width - 1)}`,
  csv: (s) => cFixed(value(s) ?? 0, 2),
  value: (s) => value(s) ?? 0,
  real: true,
});

/** Every field mtr 0.95 knows, by its `-o` letter. */
export const MTR_FIELDS: ReadonlyMap<string, MtrField> = new Map(
  [
    // The blank column: a space in the report, mtr's Drop count in its CSV (its callback is net_drop).
    {
      key: ' ',
      title: ' ',
      width: 1,
      render: () => ' ',
      csv: (s: FieldStats) => String(s.dropped),
      value: (s: FieldStats) => s.dropped,
      real: false,
    },
    {
      key: 'L',
      title: 'Loss%',
      width: 6,
      render: (s: FieldStats) => ` ${cFixed(s.lossPct, 1).padStart(4)}%`,
      csv: (s: FieldStats) => cFixed(s.lossPct, 2),
      value: (s: FieldStats) => s.lossPct,
      real: true,
    },
    int('D', 'Drop', 5, (s) => s.dropped),
    int('R', 'Rcv', 6, (s) => s.received),
    int('S', 'Snt', 6, (s) => s.sent),
    time('N', 'Last', 6, (s) => s.lastMs),
    time('B', 'Best', 6, (s) => s.bestMs),
    time('A', 'Avg', 6, (s) => s.avgMs),
    time('W', 'Wrst', 6, (s) => s.worstMs),
    time('V', 'StDev', 6, (s) => s.stdevMs),
    time('G', 'Gmean', 6, (s) => s.gmeanMs),
    time('J', 'Jttr', 5, (s) => s.jitterMs),
    time('M', 'Javg', 5, (s) => s.jitterAvgMs),
    time('X', 'Jmax', 5, (s) => s.jitterWorstMs),
    time('I', 'Jint', 5, (s) => s.jitterInterarrivalMs),
  ].map((f) => [f.key, f]),
);

/** The fields of an `-o` string in order, or the first letter mtr does not know. */
export function parseFieldOrder(order: string): { ok: true; fields: MtrField[] } | { ok: false; letter: string } {
  const fields: MtrField[] = [];
  for (const letter of order) {
    const field = MTR_FIELDS.get(letter);
    if (!field) return { ok: false, letter };
    fields.push(field);
  }
  return { ok: true, fields };
}

/** The fields of a known-good order string (the default, or one {@link parseFieldOrder} accepted). */
export function fieldsOf(order: string = DEFAULT_FIELD_ORDER): MtrField[] {
  const parsed = parseFieldOrder(order);
  if (!parsed.ok) throw new Error(`unknown mtr field letter ${JSON.stringify(parsed.letter)}`);
  return parsed.fields;
}

/**
 * The figures of one hop. The jitter and geometric-mean figures come reply by
 * reply from the samples the hop holds (every sample of a run shorter than
 * the sample buffer), in round order, as mtr folds them in as they arrive.
 */
export function fieldStats(hop: Hop): FieldStats {
  const rtts = [...hop.samples].sort((a, b) => a.round - b.round).flatMap((s) => (s.rttMs === null ? [] : [s.rttMs]));
  let jitter = 0;
  let jitterSum = 0;
  let jitterWorst = 0;
  // mtr keeps the interarrival estimator in whole microseconds: jinta += jitter - ((jinta + 8) >> 4).
  let jintaUs = 0;
  let logSum = 0;
  rtts.forEach((rtt, i) => {
    jitter = i === 0 ? 0 : Math.abs(rtt - (rtts[i - 1] ?? rtt));
    jitterSum += jitter;
    jitterWorst = Math.max(jitterWorst, jitter);
    jintaUs = i === 0 ? 0 : jintaUs + Math.round(jitter * 1000) - ((jintaUs + 8) >> 4);
    logSum += Math.log(rtt);
  });
  const n = rtts.length;
  return {
    ...summarizeHop(hop),
    gmeanMs: n > 0 && Number.isFinite(logSum) ? Math.exp(logSum / n) : 0,
    jitterMs: jitter,
    jitterAvgMs: n > 0 ? jitterSum / n : 0,
    jitterWorstMs: jitterWorst,
    jitterInterarrivalMs: jintaUs / 1000,
  };
}
