/**
 * How often each responder of one TTL answered in the same round as each
 * responder of the next: the evidence pathEdges.ts draws ECMP links from.
 *
 * Counting merges two sample lists (oldest first, rounds ascending). A live
 * trace replaces every TTL's list on each batch, but the new list holds the
 * same sample objects as the old one except for the few rounds that fell off
 * the front, arrived or were replaced; so LinkCountCache keeps each column
 * pair's counts and only re-counts the rounds whose samples changed.
 * Samples are immutable (the store replaces them, never edits them).
 */
import type { Sample } from '@shared/traceFile';

/** Rounds in which both responders answered: from-address → to-address → count. */
export type LinkCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;
type MutableLinkCounts = Map<string, Map<string, number>>;

function addLink(counts: MutableLinkCounts, a: Sample | undefined, b: Sample | undefined, delta: 1 | -1): void {
  if (a === undefined || b === undefined) return;
  if (a.rttMs === null || b.rttMs === null || a.address === null || b.address === null) return;
  let row = counts.get(a.address);
  if (row === undefined) counts.set(a.address, (row = new Map<string, number>()));
  const count = (row.get(b.address) ?? 0) + delta;
  if (count === 0) row.delete(b.address);
  else row.set(b.address, count);
  if (row.size === 0) counts.delete(a.address);
}

/** Counts links by a linear merge of the two lists. */
export function countLinks(a: readonly Sample[], b: readonly Sample[]): MutableLinkCounts {
  const counts: MutableLinkCounts = new Map();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const sa = a[i];
    const sb = b[j];
    if (sa === undefined || sb === undefined) break;
    if (sa.round < sb.round) i++;
    else if (sa.round > sb.round) j++;
    else {
      addLink(counts, sa, sb, 1);
      i++;
      j++;
    }
  }
  return counts;
}

/** Whether rounds strictly ascend with no holes: the incremental update relies on both. */
function strictlyAscending(list: readonly Sample[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    if (s === undefined) return false;
    if (i > 0 && list[i - 1]!.round >= s.round) return false;
  }
  return true;
}

/**
 * Appends to `out` the rounds whose sample differs between `prev` (strictly
 * ascending) and `next` (dropped, added or replaced); false when `next` does
 * not strictly ascend. Reads only samples that are not the same object in both.
 */
function changedRounds(prev: readonly Sample[], next: readonly Sample[], out: number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < prev.length && j < next.length) {
    const p = prev[i]!;
    const n = next[j];
    if (p === n) {
      i++;
      j++;
      continue;
    }
    // A sample not carried over: check it against its neighbours, the only pairs not already ordered in `prev`.
    if (n === undefined || (j > 0 && next[j - 1]!.round >= n.round)) return false;
    if (p.round < n.round) {
      out.push(p.round);
      i++;
    } else {
      out.push(n.round);
      if (p.round === n.round) i++;
      j++;
    }
  }
  for (; i < prev.length; i++) out.push(prev[i]!.round);
  for (; j < next.length; j++) {
    const n = next[j];
    if (n === undefined || (j > 0 && next[j - 1]!.round >= n.round)) return false;
    out.push(n.round);
  }
  return true;
}

/** The sample of `round` in a strictly ascending list (binary search). */
function sampleAt(list: readonly Sample[], round: number): Sample | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid]!;
    if (s.round === round) return s;
    if (s.round < round) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

interface PairState {
  a: readonly Sample[];
  b: readonly Sample[];
  counts: MutableLinkCounts;
}

/**
 * Link counts per column pair, updated from the previous lists of the same
 * pair. Gives the same counts as countLinks for any lists; lists that are not
 * strictly ascending, or changed in more than a quarter of their rounds, are
 * simply counted again.
 */
export class LinkCountCache {
  private readonly pairs = new Map<string, PairState>();
  /**
   * The last diff of each TTL's list: it is diffed once for both column pairs
   * it belongs to. Per TTL, not per list, so no chain of old lists is kept.
   */
  private readonly diffs = new Map<
    number,
    { prev: readonly Sample[]; next: readonly Sample[]; rounds: number[] | null }
  >();

  counts(fromTtl: number, toTtl: number, a: readonly Sample[], b: readonly Sample[]): LinkCounts {
    const key = `${fromTtl}>${toTtl}`;
    const state = this.pairs.get(key);
    if (state !== undefined && state.a === a && state.b === b) return state.counts;
    if (state === undefined || !this.update(state, fromTtl, toTtl, a, b)) {
      const fresh: PairState = { a, b, counts: countLinks(a, b) };
      // Only lists known to ascend may be updated incrementally later.
      if (strictlyAscending(a) && strictlyAscending(b)) this.pairs.set(key, fresh);
      else this.pairs.delete(key);
      return fresh.counts;
    }
    return state.counts;
  }

  private changedRounds(ttl: number, prev: readonly Sample[], next: readonly Sample[]): number[] | null {
    const known = this.diffs.get(ttl);
    if (known !== undefined && known.prev === prev && known.next === next) return known.rounds;
    const rounds: number[] = [];
    const diff = { prev, next, rounds: changedRounds(prev, next, rounds) ? rounds : null };
    this.diffs.set(ttl, diff);
    return diff.rounds;
  }

  private update(state: PairState, fromTtl: number, toTtl: number, a: readonly Sample[], b: readonly Sample[]) {
    const inA = this.changedRounds(fromTtl, state.a, a);
    const inB = inA && this.changedRounds(toTtl, state.b, b);
    if (!inA || !inB) return false;
    if ((inA.length + inB.length) * 4 > a.length + b.length + 8) return false;
    // A round changed in both lists must be re-counted once.
    const rounds = inA.length === 0 ? inB : inB.length === 0 ? inA : new Set([...inA, ...inB]);
    for (const round of rounds) {
      addLink(state.counts, sampleAt(state.a, round), sampleAt(state.b, round), -1);
      addLink(state.counts, sampleAt(a, round), sampleAt(b, round), 1);
    }
    state.a = a;
    state.b = b;
    return true;
  }
}
