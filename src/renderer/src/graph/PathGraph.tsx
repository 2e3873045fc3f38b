/**
 * The path as a graph: one box per responder, columns by TTL, edges as seen
 * in the samples. React renders everything; d3 computes the layout and
 * scales, and d3-zoom (in an effect) only sets the zoom layer's transform.
 */
import {
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
import type { Sample } from '@shared/traceFile';
import { flowFixedPerRound, type FlowOptions } from './flowPolicy';
import { useSparklineScale } from './useSparklineScale';
import { layoutPath, type PathHop, type PathLayout } from './pathLayout';
import { LinkCountCache } from './sharedRoundLinks';
import { EdgePathCache } from './edgeRoute';
import { SPARKLINE_DEFAULTS } from './Sparkline';
import { GraphLegend } from './GraphLegend';
import { AsBandLayer } from './AsBandLayer';
import { HopNode } from './HopNode';
import { HopTooltip, type TooltipPosition } from './HopTooltip';
import { useGraphZoom } from './useGraphZoom';
import { inArea, useVisibleArea } from './useVisibleArea';
import { ColumnHeader, ColumnHighlight, EdgePath } from './graphParts';
import './PathGraph.css';

export interface PathGraphProps {
  hops: readonly PathHop[];
  /** Samples per TTL when `hops` don't carry them (live store). */
  samples?: Readonly<Record<number, readonly Sample[] | undefined>>;
  /** What the sparklines draw instead of `samples` (a focus window's), when given; the layout keeps `samples`. */
  sparklineSamples?: Readonly<Record<number, readonly Sample[] | undefined>>;
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
  /** Protocol and ports of the probes: what a link can claim, and which TCP samples are SYN retransmissions. */
  flow?: FlowOptions;
  /** Start with each sparkline scaled to its own maximum instead of one scale for the whole path (a button switches). */
  sparklineOwnScale?: boolean;
}

const EMPTY_SAMPLES: readonly Sample[] = [];

interface Hovered extends TooltipPosition {
  nodeId: string;
}

/** Stroke of an observed link, in quarter pixels: a weight that moved in its third decimal redraws no edge. */
const edgeWidth = (weight: number) => Math.round((1 + 2 * weight) * 4) / 4;

function domIdFor(prefix: string, nodeId: string): string {
  return `${prefix}-${nodeId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function PathGraph({
  hops,
  samples,
  sparklineSamples,
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
  flow,
  sparklineOwnScale = false,
}: PathGraphProps) {
  const idPrefix = useId().replace(/[^A-Za-z0-9_-]/g, '');
  const containerRef = useRef<HTMLDivElement>(null);
  const innerSvgRef = useRef<SVGSVGElement>(null);
  const layerRef = useRef<SVGGElement>(null);
  const [measuredWidth, setMeasuredWidth] = useState<number | undefined>(undefined);
  const [hovered, setHovered] = useState<Hovered | null>(null);
  // Lives as long as the graph: each batch re-counts only the rounds it changed.
  const [linkCounts] = useState(() => new LinkCountCache());
  const [edgePaths] = useState(() => new EdgePathCache());

  // Null only before mount, when nobody can export yet.
  useImperativeHandle(svgRef, () => innerSvgRef.current as SVGSVGElement, []);

  const layoutWidth = wrap ? (width ?? measuredWidth) : undefined;
  const fixedFlow = flowFixedPerRound(flow ?? {});
  const layout = useMemo(
    () =>
      layoutPath(hops, {
        destinationTtl,
        targetAddress: targetAddress ?? null,
        width: layoutWidth,
        samples,
        flowFixedPerRound: fixedFlow,
        linkCounts,
        edgePaths,
      }),
    [hops, destinationTtl, targetAddress, layoutWidth, samples, fixedFlow, linkCounts, edgePaths],
  );

  useEffect(() => {
    onLayout?.(layout);
  }, [layout, onLayout]);

  const samplesByTtl = useMemo(() => {
    const byTtl = new Map<number, readonly Sample[]>();
    const drawn = sparklineSamples ?? samples;
    for (const hop of hops) byTtl.set(hop.ttl, drawn?.[hop.ttl] ?? hop.samples ?? EMPTY_SAMPLES);
    return byTtl;
  }, [hops, samples, sparklineSamples]);

  // Align every sparkline on the newest round anywhere on the path.
  const lastRound = useMemo(() => {
    let last: number | undefined;
    for (const list of samplesByTtl.values()) {
      const round = list[list.length - 1]?.round;
      if (round !== undefined && (last === undefined || round > last)) last = round;
    }
    return last;
  }, [samplesByTtl]);

  const protocol = flow?.protocol;
  const { retransmitsByTtl, sharedMaxMs } = useSparklineScale(samplesByTtl, protocol, sparklineRounds, lastRound);
  const [ownScale, setOwnScale] = useState(sparklineOwnScale);
  const sparklineMaxMs = ownScale ? undefined : sharedMaxMs;

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

  const { zoomBy, resetZoom, fitToView, revealColumn: revealGraphColumn } = useGraphZoom(innerSvgRef, layerRef, layout);
  const visibleArea = useVisibleArea(innerSvgRef, layerRef);

  const revealColumn = useEffectEvent((ttl: number) => {
    const column = columnOf.get(ttl);
    if (column !== undefined) revealGraphColumn(column);
  });

  // Only when the selection moves (not on mount, not on live updates): following those would fight the user's panning.
  const shownSelection = useRef(selectedTtl);
  useEffect(() => {
    if (selectedTtl === shownSelection.current) return;
    shownSelection.current = selectedTtl;
    if (selectedTtl !== null) revealColumn(selectedTtl);
  }, [selectedTtl]);

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
    setHovered({ nodeId, x: event.clientX, y: event.clientY });
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
          <GraphLegend
            x={layout.legend.x}
            y={layout.legend.y}
            sparklineRounds={sparklineRounds}
            sparklineScaleMs={sparklineMaxMs ?? null}
            fixedFlow={fixedFlow}
            retransmits={protocol === 'tcp'}
          />
          {layout.columns.length === 0 && (
            <text className="hs-graph-empty" x={layout.legend.x} y={layout.legend.y + layout.legend.height + 16}>
              No hops yet.
            </text>
          )}
          <AsBandLayer layout={layout} />
          {selectedTtl !== null && <ColumnHighlight column={columnOf.get(selectedTtl)} />}
          {layout.columns.map((column) => (
            <ColumnHeader
              key={column.ttl}
              ttl={column.ttl}
              x={column.x}
              y={column.headerY}
              isDestination={column.ttl === destinationTtl}
              onPath={column.nodeIds.every((id) => nodeById.get(id)?.onPath !== false)}
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
                strokeWidth={edge.kind === 'observed' ? edgeWidth(edge.weight) : 1.25}
              />
            ))}
          </g>
          <g className="hs-nodes">
            {layout.nodes.map((node) => (
              <HopNode
                key={node.id}
                node={node}
                inView={inArea(visibleArea, node)}
                domId={domIdFor(idPrefix, node.id)}
                selected={node.ttl === selectedTtl}
                samples={samplesByTtl.get(node.ttl) ?? EMPTY_SAMPLES}
                sparklineRounds={sparklineRounds}
                sparklineMaxMs={sparklineMaxMs}
                retransmitRounds={retransmitsByTtl.get(node.ttl)}
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
        <button
          type="button"
          data-testid="sparkline-scale-toggle"
          aria-pressed={!ownScale}
          onClick={() => setOwnScale(!ownScale)}
          title={
            ownScale
              ? 'Sparklines: each box on its own scale. Click for one scale across the path.'
              : 'Sparklines: one scale across the path. Click to scale each box on its own.'
          }
        >
          {ownScale ? 'Own scale' : 'Shared scale'}
        </button>
      </div>
      {hovered !== null && hoveredNode !== undefined && <HopTooltip node={hoveredNode} position={hovered} />}
    </div>
  );
}
