/** The loss colours and how to read a node and a link, drawn inside the graph so a PNG export carries it. */
import { memo } from 'react';
import { LOSS_BANDS } from './lossScale';
import { formatMs } from './statFormat';

export interface GraphLegendProps {
  x: number;
  y: number;
  sparklineRounds: number;
  /** Top of the shared sparkline scale in ms; null when each box has its own or nothing answered yet. */
  sparklineScaleMs: number | null;
  /** Probes of one round share a flow, so links are the ones seen in samples. */
  fixedFlow: boolean;
  /** TCP: SYN retransmissions are marked, not drawn as latency. */
  retransmits: boolean;
}

export const GraphLegend = memo(function GraphLegend({
  x,
  y,
  sparklineRounds,
  sparklineScaleMs,
  fixedFlow,
  retransmits,
}: GraphLegendProps) {
  const swatchPitch = 62;
  const scale =
    sparklineScaleMs === null ? 'own scale per box' : `0–${formatMs(sparklineScaleMs)} ms, same for all boxes`;
  const links = fixedFlow
    ? ['Link: solid = both hops answered probes of one flow;', 'dashed = not seen in samples (e.g. a silent hop).']
    : [
        'Link: solid = seen in samples; dashed = not seen (silent hop) or only possible:',
        'probes vary their flow, so ECMP branches of one round cannot be paired.',
      ];
  return (
    <g className="hs-legend" transform={`translate(${x},${y})`} aria-hidden="true" data-testid="graph-legend">
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
        faded, *: loss not seen downstream
      </text>
      <text className="hs-legend-text" x={0} y={27} data-testid="sparkline-scale">
        {`Line: RTT of the last ${sparklineRounds} rounds (${scale}); red tick = lost probe${retransmits ? '; top mark = SYN retransmission' : ''}.`}
      </text>
      <text className="hs-legend-text" x={0} y={42} data-testid="link-legend">
        {links.map((line, i) => (
          <tspan key={i} x={0} dy={i === 0 ? 0 : 14}>
            {line}
          </tspan>
        ))}
      </text>
    </g>
  );
});
