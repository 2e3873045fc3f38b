/** The loss colours and how to read a node, drawn inside the graph so a PNG export carries it. */
import { memo } from 'react';
import { LOSS_BANDS } from './lossScale';

export const GraphLegend = memo(function GraphLegend({
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
