/**
 * Where the timeline goes under the path graph. The timeline (d3-zoom,
 * d3-brush, d3-axis, d3-shape) is its own chunk, loaded when a trace is
 * first shown; each tab gets its own (zoom and pins are per tab).
 */
import { lazy, Suspense } from 'react';
import type { TraceTab } from '../store/reducers';
import './TimelineSlot.css';

const Timeline = lazy(() => import('./Timeline'));

export function TimelineSlot({ tab }: { tab: TraceTab }) {
  return (
    <div className="hs-timeline-slot">
      <Suspense fallback={<p className="hs-timeline-loading">Loading the timeline…</p>}>
        <Timeline key={tab.id} tab={tab} />
      </Suspense>
    </div>
  );
}
