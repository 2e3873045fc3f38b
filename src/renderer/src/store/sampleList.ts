/**
 * A TTL's list of samples in the store: oldest first, one per round, at
 * most the tab's sample cap. Each live batch makes a new list (the old one
 * is never changed: components compare lists by identity).
 */
import type { Sample } from '@shared/traceFile';

export const EMPTY_SAMPLES: readonly Sample[] = [];

/**
 * Merges a batch's samples into a TTL's list, keeping the newest `cap`. A
 * sample is identified by its round (per TTL): one for a round already held
 * replaces it (a late reply after a presumed loss), others go in round order,
 * so the list equals the engine's own.
 */
export function appendCapped(
  existing: readonly Sample[] | undefined,
  added: readonly Sample[],
  cap: number,
): readonly Sample[] {
  const base = existing ?? EMPTY_SAMPLES;
  if (added.length === 0) return base;
  const fresh = newRoundsOnly(base, added);
  if (fresh !== null) return newestOf(base, fresh, cap);
  const merged = base.slice(Math.max(0, base.length - cap));
  for (const sample of added) {
    // Samples arrive nearly in round order, so the place is found within a few steps from the end.
    let i = merged.length - 1;
    while (i >= 0 && merged[i]!.round > sample.round) i--;
    if (i >= 0 && merged[i]!.round === sample.round) merged[i] = sample;
    else merged.splice(i + 1, 0, sample);
  }
  return merged.length > cap ? merged.slice(merged.length - cap) : merged;
}

/**
 * A live batch's usual samples: of rounds after the newest held, in round
 * order. Then: `added` without the samples a later one of the same round
 * replaces; for anything else, null.
 */
function newRoundsOnly(base: readonly Sample[], added: readonly Sample[]): Sample[] | null {
  let last = base[base.length - 1]?.round ?? Number.NEGATIVE_INFINITY;
  if (added[0]!.round <= last) return null;
  const fresh: Sample[] = [];
  for (const sample of added) {
    if (sample.round < last) return null;
    if (sample.round === last) fresh[fresh.length - 1] = sample;
    else fresh.push(sample);
    last = sample.round;
  }
  return fresh;
}

/**
 * The newest `cap` of `base` followed by `fresh`, in one array of its final
 * size: a live batch used to copy a 600-sample list three times per TTL
 * (slice, splice, slice), about 250 kB a frame for 30 hops.
 */
function newestOf(base: readonly Sample[], fresh: readonly Sample[], cap: number): Sample[] {
  const taken = Math.min(fresh.length, cap);
  const kept = Math.min(base.length, cap - taken);
  const out = new Array<Sample>(kept + taken);
  for (let i = 0; i < kept; i++) out[i] = base[base.length - kept + i]!;
  for (let i = 0; i < taken; i++) out[kept + i] = fresh[fresh.length - taken + i]!;
  return out;
}
