/**
 * The path as a graph: one box per responder, columns by TTL, edges as seen
 * in the samples. React renders everything; d3 computes the layout and
 * scales, and d3-zoom (in an effect) only sets the zoom layer's transform.
 */
import {
  memo,
  useCallback,
  useEffect,
  useEffectEvent,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type Ref,
} from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import type { Sample } from '@shared/traceFile';
import { ADDRESS_CLASS_INFO } from '@shared/addressClass';
import { LOSS_BANDS, PENDING_COLOR, lossBand } from './lossScale';
import {
  NODE_BOX,
  badgeWidth,
  layoutPath,
  type GraphColumn,
  type GraphEdge,
  type GraphNode,
  type PathHop,
  type PathLayout,
} from './pathLayout';
import { SPARKLINE_DEFAULTS, Sparkline } from './Sparkline';
import { NO_VALUE, formatLossPct, formatMplsLabel, formatMs } from './statFormat';
import { monoTextWidth } from './textFit';

export interface PathGraphProps {
  hops: readonly PathHop[];
  /** Samples per TTL when `hops` don't carry them (live store). */
  samples?: Readonly<Record<number, readonly Sample[] | undefined>>;
  destinationTtl: number | null;
  /** Marks only this responder at the destination TTL. */
  targetAddress?: string | null;
  selectedTtl: number | null;
  onSelectTtl: (ttl: number) => void;
  /** The graph's <svg>, for PNG export (see pngExport.ts; the layout bounds are on data-layout-width/height). */
  svgRef?: Ref<SVGSVGElement>;
  /** Width to wrap rows at; measured from the container when omitted. */
  width?: number;
  /** Wrap long paths into rows (default) or keep one wide row. */
  wrap?: boolean;
  /** Rounds shown in each node's sparkline. */
  sparklineRounds?: number;
  /** Accessible name, e.g. "Path to example.com". */
  label?: string;
  /** Receives the layout whenever it changes (e.g. for export bounds). */
  onLayout?: (layout: PathLayout) => void;
}

const SCALE_EXTENT: [number, number] = [0.05, 4];
const EMPTY_SAMPLES: readonly Sample[] = [];

interface Hovered {
  nodeId: string;
  left: number;
  top: number;
  /** Show left of the pointer when near the right edge. */
  flip: boolean;
}

function viewportExtent(svg: SVGSVGElement, layout: PathLayout): [[number, number], [number, number]] {
  const rect = svg.getBoundingClientRect();
  // No layout engine (tests, hidden tab): pretend the whole graph is visible.
  return [
    [0, 0],
    [rect.width || layout.width, rect.height || layout.height],
  ];
}

function domIdFor(prefix: string, nodeId: string): string {
  return `${prefix}-${nodeId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function nodeColor(node: GraphNode): string {
  return node.pending ? PENDING_COLOR : lossBand(node.lossPct).color;
}

function describeNode(node: GraphNode): string {
  const who = node.address === null ? 'no reply' : `${node.address}${node.hostname ? ` (${node.hostname})` : ''}`;
  const loss = node.pending ? 'not probed yet' : `loss ${formatLossPct(node.lossPct)}`;
  const rtt = node.avgMs === null ? '' : `, average ${formatMs(node.avgMs)} ms`;
  return `Hop ${node.ttl}: ${who}, ${loss}${rtt}${node.isDestination ? ', destination' : ''}`;
}

export function PathGraph({
  hops,
  samples,
  destinationTtl,
  targetAddress,
  selectedTtl,
  onSelectTtl,
  svgRef,
  width,
  wrap = true,
  sparklineRounds = SPARKLINE_DEFAULTS.rounds,
  label = 'Network path',
  onLayout,
}: PathGraphProps) {
  const idPrefix = useId().replace(/[^A-Za-z0-9_-]/g, '');
  const containerRef = useRef<HTMLDivElement>(null);
  const innerSvgRef = useRef<SVGSVGElement>(null);
  const layerRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [measuredWidth, setMeasuredWidth] = useState<number | undefined>(undefined);
  const [hovered, setHovered] = useState<Hovered | null>(null);

  // Null only before mount, when nobody can export yet.
  useImperativeHandle(svgRef, () => innerSvgRef.current as SVGSVGElement, []);

  const layoutWidth = wrap ? (width ?? measuredWidth) : undefined;
  const layout = useMemo(
    () => layoutPath(hops, { destinationTtl, targetAddress: targetAddress ?? null, width: layoutWidth, samples }),
    [hops, destinationTtl, targetAddress, layoutWidth, samples],
  );

  useEffect(() => {
    onLayout?.(layout);
  }, [layout, onLayout]);

  const samplesByTtl = useMemo(() => {
    const byTtl = new Map<number, readonly Sample[]>();
    for (const hop of hops) byTtl.set(hop.ttl, samples?.[hop.ttl] ?? hop.samples ?? EMPTY_SAMPLES);
    return byTtl;
  }, [hops, samples]);

  // Align every sparkline on the newest round anywhere on the path.
  const lastRound = useMemo(() => {
    let last: number | undefined;
    for (const list of samplesByTtl.values()) {
      const round = list[list.length - 1]?.round;
      if (round !== undefined && (last === undefined || round > last)) last = round;
    }
    return last;
  }, [samplesByTtl]);

  const columnOf = useMemo(() => new Map(layout.columns.map((c) => [c.ttl, c])), [layout]);
  const nodeById = useMemo(() => new Map(layout.nodes.map((n) => [n.id, n])), [layout]);
  const ttls = useMemo(() => layout.columns.map((c) => c.ttl), [layout]);

  useEffect(() => {
    const container = containerRef.current;
    if (width !== undefined || !wrap || container === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w !== undefined && w > 0) setMeasuredWidth(Math.round(w));
    });
    observer.observe(container);
    return () => observer.disconnect();
  }, [width, wrap]);

  const currentLayout = useEffectEvent(() => layout);

  useEffect(() => {
    const svg = innerSvgRef.current;
    const layer = layerRef.current;
    if (svg === null || layer === null) return;
    const behavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent(SCALE_EXTENT)
      .extent(() => viewportExtent(svg, currentLayout()))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        layer.setAttribute('transform', event.transform.toString());
      });
    const selection = select(svg);
    // Double-click is for selecting, not zooming.
    selection.call(behavior).on('dblclick.zoom', null);
    zoomRef.current = behavior;
    return () => {
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, []);

  const revealColumn = useEffectEvent((ttl: number) => {
    const svg = innerSvgRef.current;
    const behavior = zoomRef.current;
    const column = columnOf.get(ttl);
    if (svg === null || behavior === null || column === undefined) return;
    const t = zoomTransform(svg);
    const [, [vw, vh]] = viewportExtent(svg, layout);
    const [x0, y0] = t.apply([column.x, column.top]);
    const [x1, y1] = t.apply([column.x + column.width, column.bottom]);
    if (x0 >= 0 && y0 >= 0 && x1 <= vw && y1 <= vh) return;
    behavior.translateTo(select(svg), column.x + column.width / 2, (column.top + column.bottom) / 2);
  });

  // Only when the selection moves (not on mount, not on live updates): following those would fight the user's panning.
  const shownSelection = useRef(selectedTtl);
  useEffect(() => {
    if (selectedTtl === shownSelection.current) return;
    shownSelection.current = selectedTtl;
    if (selectedTtl !== null) revealColumn(selectedTtl);
  }, [selectedTtl]);

  const zoomBy = (factor: number) => {
    const svg = innerSvgRef.current;
    if (svg !== null && zoomRef.current !== null) zoomRef.current.scaleBy(select(svg), factor);
  };
  const resetZoom = () => {
    const svg = innerSvgRef.current;
    if (svg !== null && zoomRef.current !== null) zoomRef.current.transform(select(svg), zoomIdentity);
  };
  const fitToView = () => {
    const svg = innerSvgRef.current;
    if (svg === null || zoomRef.current === null) return;
    const [, [vw, vh]] = viewportExtent(svg, layout);
    const k = Math.max(SCALE_EXTENT[0], Math.min(1, vw / layout.width, vh / layout.height));
    zoomRef.current.transform(select(svg), zoomIdentity.translate((vw - layout.width * k) / 2, 0).scale(k));
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const at = selectedTtl === null ? -1 : ttls.indexOf(selectedTtl);
    let next: number | undefined;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = ttls[at < 0 ? 0 : Math.min(ttls.length - 1, at + 1)];
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = ttls[at < 0 ? 0 : Math.max(0, at - 1)];
        break;
      case 'Home':
        next = ttls[0];
        break;
      case 'End':
        next = ttls[ttls.length - 1];
        break;
      case '+':
      case '=':
        zoomBy(1.25);
        break;
      case '-':
        zoomBy(0.8);
        break;
      case '0':
        resetZoom();
        break;
      case 'f':
        fitToView();
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next !== undefined && next !== selectedTtl) onSelectTtl(next);
  };

  // Stable, so hovering re-renders the tooltip rather than every node.
  const onNodePointer = useCallback((event: PointerEvent<SVGSVGElement>, nodeId: string) => {
    const box = containerRef.current?.getBoundingClientRect();
    if (box === undefined) return;
    const left = event.clientX - box.left;
    setHovered({ nodeId, left, top: event.clientY - box.top, flip: left > box.width * 0.6 });
  }, []);
  const onNodeLeave = useCallback(() => setHovered(null), []);

  const selectedNodes = selectedTtl === null ? undefined : columnOf.get(selectedTtl)?.nodeIds;
  const activeDescendant = selectedNodes?.[0] === undefined ? undefined : domIdFor(idPrefix, selectedNodes[0]);
  const hoveredNode = hovered === null ? undefined : nodeById.get(hovered.nodeId);
  const arrowId = `${idPrefix}-arrow`;

  return (
    <div className="hs-path-graph" ref={containerRef}>
      <svg
        ref={innerSvgRef}
        className="hs-path-graph-svg"
        role="listbox"
        aria-label={label}
        aria-activedescendant={activeDescendant}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-layout-width={layout.width}
        data-layout-height={layout.height}
        xmlns="http://www.w3.org/2000/svg"
      >
        <defs>
          {/* userSpaceOnUse: the arrow keeps its size on edges drawn thicker for busier links. */}
          <marker
            id={arrowId}
            viewBox="0 0 8 8"
            refX={7}
            refY={4}
            markerWidth={8}
            markerHeight={8}
            markerUnits="userSpaceOnUse"
            orient="auto"
          >
            <path className="hs-edge-arrow" d="M0,0.5 L7.5,4 L0,7.5 z" />
          </marker>
        </defs>
        <rect className="hs-graph-background" width="100%" height="100%" />
        <g ref={layerRef} data-zoom-layer="">
          <GraphLegend x={layout.legend.x} y={layout.legend.y} sparklineRounds={sparklineRounds} />
          {layout.columns.length === 0 && (
            <text className="hs-graph-empty" x={layout.legend.x} y={layout.legend.y + layout.legend.height + 16}>
              No hops yet.
            </text>
          )}
          {selectedTtl !== null && <ColumnHighlight column={columnOf.get(selectedTtl)} />}
          {layout.columns.map((column) => (
            <ColumnHeader
              key={column.ttl}
              ttl={column.ttl}
              x={column.x}
              y={column.headerY}
              isDestination={column.ttl === destinationTtl}
            />
          ))}
          <g className="hs-edges" aria-hidden="true">
            {layout.edges.map((edge) => (
              <EdgePath
                key={edge.id}
                kind={edge.kind}
                selected={edge.sourceTtl === selectedTtl || edge.targetTtl === selectedTtl}
                d={edge.path}
                markerEnd={`url(#${arrowId})`}
                strokeWidth={edge.kind === 'observed' ? 1 + 2 * edge.weight : 1.25}
              />
            ))}
          </g>
          <g className="hs-nodes">
            {layout.nodes.map((node) => (
              <HopNode
                key={node.id}
                node={node}
                domId={domIdFor(idPrefix, node.id)}
                selected={node.ttl === selectedTtl}
                samples={samplesByTtl.get(node.ttl) ?? EMPTY_SAMPLES}
                sparklineRounds={sparklineRounds}
                lastRound={lastRound}
                onSelectTtl={onSelectTtl}
                onPointer={onNodePointer}
                onLeave={onNodeLeave}
              />
            ))}
          </g>
        </g>
      </svg>
      <div className="hs-graph-controls" role="toolbar" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in" title="Zoom in (+)">
          +
        </button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out" title="Zoom out (−)">
          −
        </button>
        <button type="button" onClick={fitToView} title="Fit the whole path (F)">
          Fit
        </button>
        <button type="button" onClick={resetZoom} title="Actual size (0)">
          1:1
        </button>
      </div>
      {hovered !== null && hoveredNode !== undefined && <HopTooltip node={hoveredNode} position={hovered} />}
    </div>
  );
}

// Graph parts below take plain values and are memoised: a live batch changes every node's
// statistics and sparkline, but little of the text, boxes and edges around them.

const GraphLegend = memo(function GraphLegend({
  x,
  y,
  sparklineRounds,
}: {
  x: number;
  y: number;
  sparklineRounds: number;
}) {
  const swatchPitch = 62;
  return (
    <g className="hs-legend" transform={`translate(${x},${y})`} aria-hidden="true">
      <text className="hs-legend-title" x={0} y={11}>
        Loss
      </text>
      {LOSS_BANDS.map((band, i) => (
        <g key={band.level} transform={`translate(${34 + i * swatchPitch},0)`}>
          <rect className="hs-legend-swatch" y={2} width={11} height={11} rx={2} style={{ fill: band.color }} />
          <text className="hs-legend-text" x={15} y={11}>
            {band.label}
          </text>
        </g>
      ))}
      <text className="hs-legend-text" x={34 + LOSS_BANDS.length * swatchPitch} y={11}>
        faded: loss not seen downstream
      </text>
      <text className="hs-legend-text" x={0} y={29}>
        {`Box: address, name, loss, avg RTT (ms). Line: RTT of the last ${sparklineRounds} rounds; red tick = lost probe. Dashed link: not seen in samples.`}
      </text>
    </g>
  );
});

const ColumnHeader = memo(function ColumnHeader({
  ttl,
  x,
  y,
  isDestination,
}: {
  ttl: number;
  x: number;
  y: number;
  isDestination: boolean;
}) {
  return (
    <text className={`hs-column-ttl${isDestination ? ' is-destination' : ''}`} x={x + 2} y={y} aria-hidden="true">
      {`#${ttl}${isDestination ? ' · destination' : ''}`}
    </text>
  );
});

const EdgePath = memo(function EdgePath({
  kind,
  selected,
  d,
  markerEnd,
  strokeWidth,
}: {
  kind: GraphEdge['kind'];
  selected: boolean;
  d: string;
  markerEnd: string;
  strokeWidth: number;
}) {
  return (
    <path
      className={`hs-edge hs-edge--${kind}${selected ? ' is-selected' : ''}`}
      d={d}
      markerEnd={markerEnd}
      style={{ strokeWidth }}
    />
  );
});

function ColumnHighlight({ column }: { column: GraphColumn | undefined }) {
  if (column === undefined) return null;
  return (
    <rect
      className="hs-column-selected"
      x={column.x - 10}
      y={column.top}
      width={column.width + 20}
      height={column.bottom - column.top}
      rx={10}
      aria-hidden="true"
    />
  );
}

interface HopNodeProps {
  node: GraphNode;
  domId: string;
  selected: boolean;
  samples: readonly Sample[];
  sparklineRounds: number;
  lastRound: number | undefined;
  onSelectTtl: (ttl: number) => void;
  onPointer: (event: PointerEvent<SVGSVGElement>, nodeId: string) => void;
  onLeave: () => void;
}

const HopNode = memo(function HopNode({
  node,
  domId,
  selected,
  samples,
  sparklineRounds,
  lastRound,
  onSelectTtl,
  onPointer,
  onLeave,
}: HopNodeProps) {
  const classes = [
    'hs-node',
    `hs-node--${node.kind}`,
    selected ? 'is-selected' : '',
    node.isDestination ? 'is-destination' : '',
    node.lossPersists === false ? 'is-loss-local' : '',
    node.pending ? 'is-pending' : '',
  ].filter(Boolean);
  const secondLine =
    node.label.hostname ?? (node.kind === 'silent' && node.lossPersists === false ? 'silent; traffic passes' : null);

  // A nested <svg> placed by x/y rather than a <g transform>: Chromium never culls painting of SVG
  // content under a transform, so every node of a long path was painted each update, on screen or not.
  return (
    <svg
      id={domId}
      className={classes.join(' ')}
      data-testid="hop-node"
      data-ttl={node.ttl}
      data-address={node.address ?? ''}
      role="option"
      aria-selected={selected}
      aria-label={describeNode(node)}
      x={node.x}
      y={node.y}
      width={node.width}
      height={node.height}
      overflow="visible"
      onClick={() => onSelectTtl(node.ttl)}
      onPointerEnter={(e) => onPointer(e, node.id)}
      onPointerMove={(e) => onPointer(e, node.id)}
      onPointerLeave={onLeave}
    >
      <HopNodeBody
        width={node.width}
        height={node.height}
        color={nodeColor(node)}
        address={node.label.address}
        secondLine={secondLine}
        badge={node.badge}
        addressClass={node.addressClass}
        lossText={node.pending ? NO_VALUE : `${formatLossPct(node.lossPct)} loss`}
        rttText={node.avgMs === null ? NO_VALUE : `${formatMs(node.avgMs)} ms`}
      />
      <Sparkline
        samples={samples}
        address={node.address}
        lossBreaksLine={!node.hasSiblings}
        rounds={sparklineRounds}
        lastRound={lastRound}
        x={NODE_BOX.padX}
        y={NODE_BOX.sparkTop}
        width={node.width - 2 * NODE_BOX.padX}
        height={NODE_BOX.sparkHeight}
      />
    </svg>
  );
});

interface HopNodeBodyProps {
  width: number;
  height: number;
  color: string;
  address: string;
  secondLine: string | null;
  badge: string | null;
  addressClass: GraphNode['addressClass'];
  lossText: string;
  rttText: string;
}

/** Box and text of a node, as formatted strings: most batches change none of them. */
const HopNodeBody = memo(function HopNodeBody({
  width,
  height,
  color,
  address,
  secondLine,
  badge,
  addressClass,
  lossText,
  rttText,
}: HopNodeBodyProps) {
  const lossPillWidth = monoTextWidth(lossText.length, NODE_BOX.statsFontPx) + 8;
  const badgeW = badge === null ? 0 : badgeWidth(badge);
  return (
    <>
      <rect className="hs-node-box" width={width} height={height} rx={6} style={{ stroke: color }} />
      <text className="hs-node-address" x={NODE_BOX.padX} y={NODE_BOX.addressBaseline}>
        {address}
      </text>
      {badge !== null && addressClass !== null && (
        <g
          className={`hs-badge hs-badge--${addressClass}`}
          transform={`translate(${width - NODE_BOX.padX - badgeW},${NODE_BOX.addressBaseline - 10})`}
        >
          <rect width={badgeW} height={13} rx={3} />
          <text x={badgeW / 2} y={9.5} textAnchor="middle">
            {badge}
          </text>
        </g>
      )}
      {secondLine !== null && (
        <text className="hs-node-hostname" x={NODE_BOX.padX} y={NODE_BOX.hostnameBaseline}>
          {secondLine}
        </text>
      )}
      <rect
        className="hs-node-loss-pill"
        x={NODE_BOX.padX - 3}
        y={NODE_BOX.statsBaseline - 11}
        width={lossPillWidth}
        height={15}
        rx={3}
        style={{ fill: color }}
      />
      <text className="hs-node-loss" x={NODE_BOX.padX + 1} y={NODE_BOX.statsBaseline}>
        {lossText}
      </text>
      <text className="hs-node-rtt" x={width - NODE_BOX.padX} y={NODE_BOX.statsBaseline} textAnchor="end">
        {rttText}
      </text>
    </>
  );
});

function HopTooltip({ node, position }: { node: GraphNode; position: Hovered }) {
  const host = node.host;
  const rows: [string, string][] = [
    ['Sent', String(node.sent)],
    [
      'Received',
      host === null
        ? '0'
        : `${host.received}${node.replyShare !== null && node.replyShare < 1 ? ` (${Math.round(node.replyShare * 100)}% of replies)` : ''}`,
    ],
    ['Loss', node.pending ? NO_VALUE : formatLossPct(node.lossPct)],
    ['Last', `${formatMs(host?.lastMs)} ms`],
    ['Avg', `${formatMs(host?.avgMs)} ms`],
    ['Best', `${formatMs(host?.bestMs)} ms`],
    ['Worst', `${formatMs(host?.worstMs)} ms`],
    ['StDev', `${formatMs(host?.stdevMs)} ms`],
    ['Jitter', `${formatMs(host?.jitterMs)} ms`],
  ];
  return (
    <div
      className={`hs-tooltip${position.flip ? ' is-flipped' : ''}`}
      role="tooltip"
      style={{ left: position.left, top: position.top }}
    >
      <div className="hs-tooltip-title">
        <span>#{node.ttl}</span> {node.address ?? 'no reply'}
      </div>
      {node.hostname !== null && <div className="hs-tooltip-hostname">{node.hostname}</div>}
      {node.addressClass !== null && (
        <div className="hs-tooltip-class">{ADDRESS_CLASS_INFO[node.addressClass].description}</div>
      )}
      {node.isDestination && <div className="hs-tooltip-flag">Destination</div>}
      <dl className="hs-tooltip-stats">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {host !== null && host.mpls.length > 0 && (
        <div className="hs-tooltip-mpls">
          MPLS:
          <ul>
            {host.mpls.map((l, i) => (
              <li key={i}>{formatMplsLabel(l)}</li>
            ))}
          </ul>
        </div>
      )}
      {node.lossPersists === false && (
        <p className="hs-tooltip-note">
          {node.kind === 'silent'
            ? 'This router does not answer probes, but later hops do: traffic passes through it.'
            : 'Later hops lose less: likely ICMP rate limiting on this router, not loss on the path.'}
        </p>
      )}
      {node.lossPersists === true && (
        <p className="hs-tooltip-note is-warning">Loss continues at later hops: it affects traffic on the path.</p>
      )}
    </div>
  );
}
