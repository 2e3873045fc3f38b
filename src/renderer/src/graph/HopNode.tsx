/**
 * One responder (or silent TTL) of the path graph: its box, labels, loss
 * pill and sparkline. Takes plain values and is memoised: a live batch
 * changes every node's statistics, but little of its text.
 */
import { memo, type PointerEvent } from 'react';
import type { Sample } from '@shared/traceFile';
import { PENDING_COLOR, lossBand } from './lossScale';
import { NODE_BOX, badgeWidth, type GraphNode } from './pathLayout';
import { Sparkline } from './Sparkline';
import { NO_VALUE, formatLossPct, formatMs } from './statFormat';
import { monoCharsThatFit, monoTextWidth } from './textFit';
import { ownerLine } from './ownerLabels';
import './HopNode.css';

function nodeColor(node: GraphNode): string {
  return node.pending ? PENDING_COLOR : lossBand(node.lossPct).color;
}

/** What a screen reader says for the node. */
function describeNode(node: GraphNode): string {
  const who = node.address === null ? 'no reply' : `${node.address}${node.hostname ? ` (${node.hostname})` : ''}`;
  const loss = node.pending ? 'not probed yet' : `loss ${formatLossPct(node.lossPct)}`;
  const rtt = node.avgMs === null ? '' : `, average ${formatMs(node.avgMs)} ms`;
  const owner = ownerLine(node.host?.owner);
  const where =
    (owner === null ? '' : `, ${owner}`) + (node.isDestination ? ', destination' : node.onPath ? '' : ', not probed');
  const verdict = node.unreachable
    ? ', unreachable (!N/!H)'
    : node.lossPersists === false
      ? ', loss does not continue downstream'
      : '';
  return `Hop ${node.ttl}: ${who}, ${loss}${rtt}${where}${verdict}`;
}

/** The loss verdict in the box when the host name does not take the line. */
function lossLocalText(node: GraphNode): string {
  return node.kind === 'silent' ? 'silent; traffic passes' : 'loss not seen downstream';
}

interface HopNodeProps {
  node: GraphNode;
  /** In or near the visible part of the graph (useVisibleArea): only then does it follow updates. */
  inView: boolean;
  domId: string;
  selected: boolean;
  samples: readonly Sample[];
  sparklineRounds: number;
  /** Top of the shared sparkline scale, undefined for each box's own. */
  sparklineMaxMs: number | undefined;
  retransmitRounds: ReadonlySet<number> | undefined;
  lastRound: number | undefined;
  onSelectTtl: (ttl: number) => void;
  onPointer: (event: PointerEvent<SVGSVGElement>, nodeId: string) => void;
  onLeave: () => void;
}

/**
 * A box out of view keeps what it drew (it is brought up to date when it
 * comes into view, or before an export); otherwise any changed prop redraws.
 */
function sameHopNodeProps(prev: HopNodeProps, next: HopNodeProps): boolean {
  if (!prev.inView && !next.inView) return true;
  for (const key of Object.keys(next) as (keyof HopNodeProps)[]) if (!Object.is(prev[key], next[key])) return false;
  return true;
}

export const HopNode = memo(function HopNode({
  node,
  domId,
  selected,
  samples,
  sparklineRounds,
  sparklineMaxMs,
  retransmitRounds,
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
    node.onPath ? '' : 'is-off-path',
    node.unreachable ? 'is-unreachable' : '',
  ].filter(Boolean);
  const secondLine = node.unreachable
    ? `unreachable (!N/!H)${node.label.hostname === null ? '' : ` · ${node.label.hostname}`}`
    : (node.label.hostname ?? (node.lossPersists === false ? lossLocalText(node) : null));
  const ownerText = ownerLine(
    node.host?.owner,
    monoCharsThatFit(node.width - 2 * NODE_BOX.padX, NODE_BOX.hostnameFontPx),
  );

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
        ownerText={ownerText}
        badge={node.badge}
        addressClass={node.addressClass}
        lossText={
          node.pending ? NO_VALUE : `${formatLossPct(node.lossPct)} loss${node.lossPersists === false ? '*' : ''}`
        }
        rttText={node.avgMs === null ? NO_VALUE : `${formatMs(node.avgMs)} ms`}
      />
      <Sparkline
        samples={samples}
        address={node.address}
        lossBreaksLine={!node.hasSiblings}
        rounds={sparklineRounds}
        lastRound={lastRound}
        maxMs={sparklineMaxMs}
        retransmitRounds={retransmitRounds}
        x={NODE_BOX.padX}
        y={NODE_BOX.sparkTop}
        width={node.width - 2 * NODE_BOX.padX}
        height={NODE_BOX.sparkHeight}
      />
    </svg>
  );
}, sameHopNodeProps);

interface HopNodeBodyProps {
  width: number;
  height: number;
  color: string;
  address: string;
  secondLine: string | null;
  ownerText: string | null;
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
  ownerText,
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
      {ownerText !== null && (
        <text className="hs-node-owner" data-testid="hop-owner" x={NODE_BOX.padX} y={NODE_BOX.ownerBaseline}>
          {ownerText}
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
