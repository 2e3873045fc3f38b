/**
 * Which responders of one TTL connect to which of the next. A pair seen
 * answering in the same round is a link only when the round's probes shared
 * one flow (flowPolicy.ts) or one side has a single responder; otherwise the
 * samples cannot tell, and every pair is drawn as a possible link. Inferred
 * links keep anybody from dangling. Pure, like the layout that places them.
 */
import type { GraphEdgeKind, GraphNode } from './pathLayout';
import type { LinkCounts } from './sharedRoundLinks';

export interface EdgeDraft {
  source: GraphNode;
  target: GraphNode;
  kind: GraphEdgeKind;
  count: number;
}

/**
 * Edges between two consecutive columns. `links` gives the shared-round
 * counts of the two TTLs' samples (undefined when either has none); it is
 * asked only when the samples can decide.
 */
export function connect(
  from: readonly GraphNode[],
  to: readonly GraphNode[],
  links: () => LinkCounts | undefined,
  flowFixedPerRound: boolean,
): EdgeDraft[] {
  const allPairs = (kind: GraphEdgeKind): EdgeDraft[] =>
    from.flatMap((source) => to.map((target) => ({ source, target, kind, count: 0 })));

  const silent = from.some((n) => n.kind === 'silent') || to.some((n) => n.kind === 'silent');
  if (silent) return allPairs('silent');
  // Different flows at TTL n and n+1 in one round may take different branches: co-occurrence proves nothing.
  if (!flowFixedPerRound && from.length > 1 && to.length > 1) return allPairs('possible');
  const linkCounts = links();
  if (linkCounts === undefined) return allPairs('inferred');

  const fromIndex = new Map(from.map((n, i) => [n.address, i]));
  const toIndex = new Map(to.map((n, i) => [n.address, i]));
  const counts = new Uint32Array(from.length * to.length);
  let seen = 0;
  for (const [a, row] of linkCounts) {
    const i = fromIndex.get(a);
    if (i === undefined) continue;
    for (const [b, count] of row) {
      const j = toIndex.get(b);
      if (j === undefined) continue;
      counts[i * to.length + j] = (counts[i * to.length + j] ?? 0) + count;
      seen += count;
    }
  }
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
