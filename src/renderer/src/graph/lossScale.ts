/**
 * Loss → colour. Bands rather than a gradient: "1.2 %" and "1.4 %" should
 * look the same, "0 %" and "0.5 %" must not. Colours are CSS variables so the
 * light and dark themes (theme.css) own the actual values.
 */
import { scaleThreshold } from 'd3-scale';

export interface LossBand {
  /** 0 = no loss … 5 = nothing answered. */
  level: number;
  label: string;
  /** CSS colour value (a var() reference). */
  color: string;
}

export const LOSS_BANDS: readonly LossBand[] = [
  { level: 0, label: '0%', color: 'var(--hs-loss-0)' },
  { level: 1, label: '<2%', color: 'var(--hs-loss-1)' },
  { level: 2, label: '2–10%', color: 'var(--hs-loss-2)' },
  { level: 3, label: '10–50%', color: 'var(--hs-loss-3)' },
  { level: 4, label: '50–99%', color: 'var(--hs-loss-4)' },
  { level: 5, label: '100%', color: 'var(--hs-loss-5)' },
];

// Thresholds are lower bounds of bands 1…5; anything above 0 (even 0.1 %) leaves band 0.
export const lossBand = scaleThreshold<number, LossBand>()
  .domain([Number.MIN_VALUE, 2, 10, 50, 100])
  .range([...LOSS_BANDS]);

/** Colour of a node that has not been probed yet. */
export const PENDING_COLOR = 'var(--hs-pending)';
