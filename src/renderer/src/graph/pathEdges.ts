/**
 * Which responders of one TTL connect to which of the next. A pair seen
 * answering in the same round is a link only when the round's probes shared
 * one flow (flowPolicy.ts) or one side has a single responder; otherwise the
 * samples cannot tell, and every pair is drawn as a possible link. Inferred
 * links keep anybody from dangling. Pure, like the layout that places them.
 */
import type { Sample } from '@shared/traceFile';
import type { GraphEdgeKind, GraphNode } from './pathLayout';

/**
 * Calls `visit` for each round in which both TTLs got a reply. Sample lists
 * are oldest first (rounds ascending), so this is a linear merge.
 */
function forEachSharedRound(
  a: readonly Sample[],
  b: readonly Sample[],
  visit: (addressA: string, addressB: string) => void,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const sa = a[i];
    const sb = b[j];
    if (sa === undefined || sb === undefined) break;
    if (sa.round < sb.round) i++;
    else if (sa.round > sb.round) j++;
    else {
      if (sa.rttMs !== null && sb.rttMs !== null && sa.address !== null && sb.address !== null) {
        visit(sa.address, sb.address);
      }
      i++;
      j++;
    }
  }
}

export interface EdgeDraft {
  source: GraphNode;
  target: GraphNode;
  kind: GraphEdgeKind;
  count: number;
}

/** Edges between two consecutive columns. */
export function connect(
  from: readonly GraphNode[],
  to: readonly GraphNode[],
  fromSamples: readonly Sample[] | undefined,
  toSamples: readonly Sample[] | undefined,
  flowFixedPerRound: boolean,
): EdgeDraft[] {
  const allPairs = (kind: GraphEdgeKind): EdgeDraft[] =>
    from.flatMap((source) => to.map((target) => ({ source, target, kind, count: 0 })));

  const silent = from.some((n) => n.kind === 'silent') || to.some((n) => n.kind === 'silent');
  if (silent) return allPairs('silent');
  // Different flows at TTL n and n+1 in one round may take different branches: co-occurrence proves nothing.
  if (!flowFixedPerRound && from.length > 1 && to.length > 1) return allPairs('possible');
  if (fromSamples === undefined || toSamples === undefined) return allPairs('inferred');

  const fromIndex = new Map(from.map((n, i) => [n.address, i]));
  const toIndex = new Map(to.map((n, i) => [n.address, i]));
  const counts = new Uint32Array(from.length * to.length);
  let seen = 0;
  forEachSharedRound(fromSamples, toSamples, (a, b) => {
    const i = fromIndex.get(a);
    const j = toIndex.get(b);
    if (i === undefined || j === undefined) return;
    counts[i * to.length + j] = (counts[i * to.length + j] ?? 0) + 1;
    seen++;
  });
  if (seen === 0) return allPairs('inferred');

  const edges: EdgeDraft[] = [];
  const hasOut = new Set<number>();
  const hasIn = new Set<number>();
  from.forEach((source, i) =>
    to.forEach((target, j) => {
      const count = counts[i * to.length + j] ?? 0;
      if (count === 0) return;
      edges.push({ source, target, kind: 'observed', count });
      hasOut.add(i);
      hasIn.add(j);
    }),
  );
  // A responder seen only in rounds where its neighbour column was lost still belongs to the path.
  from.forEach((source, i) => {
    if (hasOut.has(i)) return;
    to.forEach((target, j) => {
      edges.push({ source, target, kind: 'inferred', count: 0 });
      hasIn.add(j);
    });
  });
  to.forEach((target, j) => {
    if (hasIn.has(j)) return;
    for (const source of from) edges.push({ source, target, kind: 'inferred', count: 0 });
  });
  return edges;
}
