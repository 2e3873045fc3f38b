/**
 * The AS bands of the path graph (see asBands.ts): a shaded rectangle behind
 * each run of hops in one network, labelled with the AS and organisation,
 * shades alternating so each crossing into another network stands out.
 */
import { memo, useMemo } from 'react';
import { asBands } from './asBands';
import type { PathLayout } from './pathLayout';
import './AsBandLayer.css';

export const AsBandLayer = memo(function AsBandLayer({ layout }: { layout: PathLayout }) {
  const bands = useMemo(() => asBands(layout), [layout]);
  if (bands.length === 0) return null;
  return (
    <g className="hs-as-bands">
      {bands.map((band) => (
        <g
          key={band.key}
          className={`hs-as-band hs-as-band--${band.shade}`}
          data-testid="as-band"
          data-asn={band.asn}
          data-first-ttl={band.firstTtl}
          data-last-ttl={band.lastTtl}
        >
          <title>{`AS${band.asn} ${band.organisation}: hops ${band.firstTtl}–${band.lastTtl}`}</title>
          <rect x={band.x} y={band.y} width={band.width} height={band.height} rx={8} />
          <text x={band.labelX} y={band.labelY}>
            {band.label}
          </text>
        </g>
      ))}
    </g>
  );
});
