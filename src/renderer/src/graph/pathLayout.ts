/**
 * Where every hop of the path graph goes. Pure: hops (and their samples) in,
 * boxes and edge curves out, so the geometry is testable without a DOM and
 * the PNG export knows the full bounds.
 *
 * One column per TTL, one box per responder (ECMP siblings stack in the
 * column), one "no reply" box per silent TTL. Long paths wrap into rows that
 * all read left to right, like lines of text: the link from the end of a row
 * runs down and back to the start of the next, so no row reads backwards and
 * nothing needs to be zoomed out to illegibility.
 */
import { max } from 'd3-array';
import { lossContinuesDownstream } from '@shared/pathVerdicts';
import type { HostStats, Sample } from '@shared/traceFile';
import type { HopStatsUpdate } from '@shared/session';
import { ADDRESS_CLASS_INFO, addressClass, type AddressClass } from '@shared/addressClass';
import { isOnPath } from '../store/selectors';
import { connect } from './pathEdges';
import { countLinks, type LinkCountCache } from './sharedRoundLinks';
import { EdgePathCache } from './edgeRoute';
import { monoCharsThatFit, monoTextWidth, truncateMiddle } from './textFit';
import { ownerLine } from './ownerLabels';

/** A hop as the layout needs it: live stats, optionally with the samples of a saved file. */
export type PathHop = HopStatsUpdate & { samples?: readonly Sample[] };

export interface PathLayoutOptions {
  /** TTL at which the destination answered (flags its responder; hops off the path are marked by the engine, see isOnPath). */
  destinationTtl: number | null;
  /** Flags only this responder at `destinationTtl` (others there are ECMP siblings of the last router). */
  targetAddress?: string | null;
  /** Available width in px. When set, paths wider than this wrap into rows. */
  width?: number;
  /** Samples per TTL, when `hops` do not carry their own (the live store keeps them apart). */
  samples?: Readonly<Record<number, readonly Sample[] | undefined>>;
  /**
   * Whether every probe of a round travels one flow (see flowPolicy.ts):
   * only then do replies of one round show which responders connect.
   */
  flowFixedPerRound?: boolean;
  /** Keeps link counts between layouts of one graph, so a batch re-counts only its rounds; same edges without. */
  linkCounts?: LinkCountCache;
  /** Keeps edge paths between layouts of one graph, so an edge whose boxes did not move keeps its string. */
  edgePaths?: EdgePathCache;
}

export type GraphNodeKind = 'responder' | 'silent';

export interface GraphNode {
  /** Stable across updates: `${ttl}:${address}` or `${ttl}:*`. */
  id: string;
  kind: GraphNodeKind;
  ttl: number;
  address: string | null;
  hostname: string | null;
  /** Loss of the TTL (probes are per TTL, so loss cannot be split between ECMP responders). */
  lossPct: number;
  avgMs: number | null;
  /** Probes sent to this TTL. */
  sent: number;
  /** The responder's statistics; null for a silent TTL. */
  host: HostStats | null;
  /** Fraction of this TTL's replies that came from this responder (ECMP balance). */
  replyShare: number | null;
  /** Other responders answer at this TTL too (ECMP or a route change). */
  hasSiblings: boolean;
  addressClass: AddressClass | null;
  /** Badge text for non-global classes, null otherwise. */
  badge: string | null;
  isDestination: boolean;
  /** Nothing sent to this TTL yet. */
  pending: boolean;
  /** False when the engine no longer probes this TTL: drawn greyed, "not probed". */
  onPath: boolean;
  /**
   * Whether this hop's loss continues downstream: false means later hops lose
   * clearly less, the signature of ICMP rate limiting on this router rather
   * than loss on the path. Null when there is no loss or nothing downstream.
   */
  lossPersists: boolean | null;
  /** The responder answered ICMP net/host unreachable: the path ends here (!N/!H). */
  unreachable: boolean;
  /** Labels already shortened to fit the box. */
  label: { address: string; hostname: string | null };
  /** Box, top-left origin. */
  x: number;
  y: number;
  width: number;
  height: number;
  row: number;
  column: number;
}

export type GraphEdgeKind =
  /** Seen in samples: in one round this responder answered at t and that one at t+1. */
  | 'observed'
  /** Samples do not say; drawn so no responder is left dangling. */
  | 'inferred'
  /** Probes of one round travel different flows, so samples cannot tell which responders connect. */
  | 'possible'
  /** Into or out of a silent TTL. */
  | 'silent';

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceTtl: number;
  targetTtl: number;
  kind: GraphEdgeKind;
  /** Rounds in which this pair was observed (0 unless observed). */
  count: number;
  /** count relative to the busiest edge between the same two TTLs, 0…1. */
  weight: number;
  /** SVG path data. */
  path: string;
}

export interface GraphColumn {
  ttl: number;
  row: number;
  /** Position within its row, in path order. */
  index: number;
  x: number;
  /** Baseline of the column's TTL header. */
  headerY: number;
  width: number;
  /** Vertical extent of the column's band (for highlighting the selected TTL). */
  top: number;
  bottom: number;
  nodeIds: string[];
}

export interface PathLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  columns: GraphColumn[];
  /** Area reserved for the legend, inside the bounds so an export includes it. */
  legend: { x: number; y: number; width: number; height: number };
  /** Full bounds of everything drawn, origin at 0,0. */
  width: number;
  height: number;
}

/** Box metrics shared by the layout (for sizing) and PathGraph (for drawing). */
export const NODE_BOX = {
  minWidth: 184,
  maxWidth: 300,
  height: 100,
  padX: 9,
  addressFontPx: 12,
  hostnameFontPx: 11,
  statsFontPx: 11,
  badgeFontPx: 9,
  badgePadX: 4,
  badgeGap: 6,
  addressBaseline: 20,
  hostnameBaseline: 36,
  /** Who owns the responder (AS and organisation), when known. */
  ownerBaseline: 51,
  statsBaseline: 67,
  sparkTop: 74,
  sparkHeight: 20,
} as const;

export const PATH_SPACING = {
  /** Between columns; edges curve through this gap. */
  gapX: 56,
  /** Between ECMP siblings in one column. */
  gapY: 12,
  /** Left/right margin; row-to-row edges loop through it. */
  side: 44,
  top: 12,
  legendHeight: 68,
  legendWidth: 540,
  /** Above each row: the AS band labels (see asBands.ts), then the TTL headers. */
  rowHeader: 40,
  rowGap: 26,
  bottom: 16,
} as const;

export function badgeWidth(badge: string): number {
  return monoTextWidth(badge.length, NODE_BOX.badgeFontPx) + 2 * NODE_BOX.badgePadX;
}

interface ColumnDraft {
  hop: PathHop;
  silent: boolean;
  nodes: Omit<GraphNode, 'x' | 'y' | 'width' | 'height' | 'row' | 'column' | 'label'>[];
}

function draftColumns(hops: readonly PathHop[], opts: PathLayoutOptions): ColumnDraft[] {
  const byTtl = new Map<number, PathHop>();
  for (const hop of hops) byTtl.set(hop.ttl, hop);
  const ordered = [...byTtl.values()].sort((a, b) => a.ttl - b.ttl);

  return ordered.map((hop, i) => {
    const onPath = isOnPath(hop);
    const lossPersists = onPath ? lossContinuesDownstream(hop, ordered.slice(i + 1).filter(isOnPath)) : null;
    const unreachable = hop.unreachable === true;
    const pending = hop.sent === 0;
    if (hop.hosts.length === 0) {
      return {
        hop,
        silent: true,
        nodes: [
          {
            id: `${hop.ttl}:*`,
            kind: 'silent',
            ttl: hop.ttl,
            address: null,
            hostname: null,
            lossPct: hop.lossPct,
            avgMs: null,
            sent: hop.sent,
            host: null,
            replyShare: null,
            hasSiblings: false,
            addressClass: null,
            badge: null,
            isDestination: false,
            pending,
            onPath,
            lossPersists,
            unreachable,
          },
        ],
      };
    }
    const atDestination = opts.destinationTtl === hop.ttl;
    const targetHere = atDestination && hop.hosts.some((h) => h.address === opts.targetAddress);
    return {
      hop,
      silent: false,
      nodes: hop.hosts.map((host) => {
        const cls = addressClass(host.address);
        return {
          id: `${hop.ttl}:${host.address}`,
          kind: 'responder' as const,
          ttl: hop.ttl,
          address: host.address,
          hostname: host.hostname,
          lossPct: hop.lossPct,
          avgMs: host.avgMs,
          sent: hop.sent,
          host,
          replyShare: hop.received > 0 ? host.received / hop.received : null,
          hasSiblings: hop.hosts.length > 1,
          addressClass: cls,
          badge: cls === 'global' ? null : ADDRESS_CLASS_INFO[cls].badge,
          // Without a known target address, every responder at the destination TTL is it.
          isDestination: atDestination && (!targetHere || host.address === opts.targetAddress),
          pending,
          onPath,
          lossPersists,
          unreachable,
        };
      }),
    };
  });
}

/** An owner line up to this long widens the boxes (within maxWidth); longer ones are cut. */
const OWNER_LINE_CHARS = 34;

function nodeWidthFor(columns: readonly ColumnDraft[]): number {
  let needed: number = NODE_BOX.minWidth;
  for (const col of columns) {
    for (const node of col.nodes) {
      const badge = node.badge === null ? 0 : badgeWidth(node.badge) + NODE_BOX.badgeGap;
      const address = monoTextWidth((node.address ?? 'no reply').length, NODE_BOX.addressFontPx) + badge;
      const hostname = monoTextWidth(node.hostname?.length ?? 0, NODE_BOX.hostnameFontPx);
      const owner = monoTextWidth(ownerLine(node.host?.owner, OWNER_LINE_CHARS)?.length ?? 0, NODE_BOX.hostnameFontPx);
      needed = Math.max(needed, Math.max(address, hostname, owner) + 2 * NODE_BOX.padX);
    }
  }
  return Math.ceil(Math.min(NODE_BOX.maxWidth, needed));
}

function labelsFor(node: ColumnDraft['nodes'][number], width: number): GraphNode['label'] {
  const inner = width - 2 * NODE_BOX.padX;
  const badge = node.badge === null ? 0 : badgeWidth(node.badge) + NODE_BOX.badgeGap;
  const address = node.address ?? (node.pending ? 'waiting…' : 'no reply');
  return {
    address: truncateMiddle(address, monoCharsThatFit(inner - badge, NODE_BOX.addressFontPx)),
    hostname:
      node.hostname === null ? null : truncateMiddle(node.hostname, monoCharsThatFit(inner, NODE_BOX.hostnameFontPx)),
  };
}

function samplesOf(col: ColumnDraft, opts: PathLayoutOptions): readonly Sample[] | undefined {
  const samples = col.hop.samples ?? opts.samples?.[col.hop.ttl];
  return samples === undefined || samples.length === 0 ? undefined : samples;
}

export function layoutPath(hops: readonly PathHop[], opts: PathLayoutOptions): PathLayout {
  const drafts = draftColumns(hops, opts);
  const nodeWidth = nodeWidthFor(drafts);
  const pitch = nodeWidth + PATH_SPACING.gapX;
  const available = opts.width;
  const perRow =
    available === undefined
      ? Math.max(1, drafts.length)
      : Math.max(
          1,
          Math.min(drafts.length, Math.floor((available - 2 * PATH_SPACING.side + PATH_SPACING.gapX) / pitch)),
        );

  const legend = {
    x: PATH_SPACING.side,
    y: PATH_SPACING.top,
    width: PATH_SPACING.legendWidth,
    height: PATH_SPACING.legendHeight,
  };
  const nodes: GraphNode[] = [];
  const columns: GraphColumn[] = [];
  const columnNodes: GraphNode[][] = [];
  let cursorY = PATH_SPACING.top + PATH_SPACING.legendHeight;

  for (let rowStart = 0, row = 0; rowStart < drafts.length; rowStart += perRow, row++) {
    const rowDrafts = drafts.slice(rowStart, rowStart + perRow);
    const tallest = max(rowDrafts, (d) => d.nodes.length) ?? 1;
    const bandHeight = tallest * NODE_BOX.height + (tallest - 1) * PATH_SPACING.gapY;
    const bandTop = cursorY + PATH_SPACING.rowHeader;

    rowDrafts.forEach((draft, index) => {
      const x = PATH_SPACING.side + index * pitch;
      const count = draft.nodes.length;
      const stackHeight = count * NODE_BOX.height + (count - 1) * PATH_SPACING.gapY;
      const firstY = bandTop + (bandHeight - stackHeight) / 2;
      const placed = draft.nodes.map((n, k): GraphNode => ({
        ...n,
        label: labelsFor(n, nodeWidth),
        x,
        y: firstY + k * (NODE_BOX.height + PATH_SPACING.gapY),
        width: nodeWidth,
        height: NODE_BOX.height,
        row,
        column: rowStart + index,
      }));
      nodes.push(...placed);
      columnNodes.push(placed);
      columns.push({
        ttl: draft.hop.ttl,
        row,
        index,
        x,
        headerY: cursorY + PATH_SPACING.rowHeader - 6,
        width: nodeWidth,
        top: cursorY + 4,
        bottom: bandTop + bandHeight + 4,
        nodeIds: placed.map((n) => n.id),
      });
    });
    cursorY = bandTop + bandHeight + PATH_SPACING.rowGap;
  }

  const edges: GraphEdge[] = [];
  const paths = opts.edgePaths ?? new EdgePathCache();
  for (let i = 0; i + 1 < columns.length; i++) {
    const a = columns[i];
    const b = columns[i + 1];
    const fromNodes = columnNodes[i];
    const toNodes = columnNodes[i + 1];
    const [fromDraft, toDraft] = [drafts[i], drafts[i + 1]];
    if (!a || !b || !fromNodes || !toNodes || !fromDraft || !toDraft) continue;
    const links = () => {
      const fromSamples = samplesOf(fromDraft, opts);
      const toSamples = samplesOf(toDraft, opts);
      if (fromSamples === undefined || toSamples === undefined) return undefined;
      return opts.linkCounts
        ? opts.linkCounts.counts(a.ttl, b.ttl, fromSamples, toSamples)
        : countLinks(fromSamples, toSamples);
    };
    const drafted = connect(fromNodes, toNodes, links, opts.flowFixedPerRound ?? false);
    const busiest = max(drafted, (e) => e.count) ?? 0;
    for (const e of drafted) {
      edges.push({
        id: `${e.source.id}>${e.target.id}`,
        source: e.source.id,
        target: e.target.id,
        sourceTtl: a.ttl,
        targetTtl: b.ttl,
        kind: e.kind,
        count: e.count,
        weight: busiest > 0 ? e.count / busiest : 0,
        path: paths.path(e.source, e.target, a.bottom - 4, PATH_SPACING),
      });
    }
  }
  paths.finish();

  const contentWidth = 2 * PATH_SPACING.side + perRow * nodeWidth + (perRow - 1) * PATH_SPACING.gapX;
  const width = Math.ceil(Math.max(contentWidth, legend.width + 2 * PATH_SPACING.side));
  const height = Math.ceil(
    drafts.length === 0 ? cursorY + PATH_SPACING.bottom : cursorY - PATH_SPACING.rowGap + PATH_SPACING.bottom,
  );
  return { nodes, edges, columns, legend, width, height };
}
