/**
 * Chooses which segment of a trace is shown. Each segment is one set of
 * options; statistics never mix across them, so the graph, table and report
 * show one at a time (the current one unless another is chosen).
 */
import type { Segment } from '@shared/traceFile';
import { PROTOCOL_LABELS } from '@shared/protocols';
import type { TraceTab } from '../store/reducers';
import { segmentsOf, shownSegmentIndex } from '../store/segments';
import { useController } from './context';
import './SegmentPicker.css';

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "2: UDP:33434 TTL 1–30 · 14:02:10–14:05:31", unknowns left out rather than guessed. */
export function segmentLabel(segment: Segment, current: boolean): string {
  const o = segment.options;
  const protocol = o.protocol === undefined ? 'protocol unknown' : PROTOCOL_LABELS[o.protocol];
  const port = o.port === undefined ? '' : `:${o.port}`;
  const ttls = o.firstTtl !== undefined && o.maxTtl !== undefined ? ` TTL ${o.firstTtl}–${o.maxTtl}` : '';
  const until = segment.endedAt !== undefined ? clock(segment.endedAt) : current ? 'now' : '';
  return `${segment.index + 1}: ${segment.target.input} ${protocol}${port}${ttls} · ${clock(segment.startedAt)}–${until}`;
}

export function SegmentPicker({ tab }: { tab: TraceTab }) {
  const controller = useController();
  const segments = segmentsOf(tab);
  if (segments.length < 2) return null;
  const current = tab.segment;
  const shown = shownSegmentIndex(tab);
  // Only segments whose hops the tab still holds can be shown.
  const available = segments.filter((s) => s.index === current || s.index in tab.earlierSegments);
  return (
    <label
      className={`hs-status-item hs-segment-picker${shown !== current ? ' is-earlier' : ''}`}
      title="Statistics are per segment: one set of options each"
    >
      <span className="hs-status-text">Segment</span>
      <select
        data-testid="segment-select"
        value={shown}
        onChange={(e) => controller.traces.getState().viewSegment(tab.id, Number(e.target.value))}
      >
        {available.map((s) => (
          <option key={s.index} value={s.index}>
            {segmentLabel(s, s.index === current)}
            {s.index === current ? ' (current)' : ''}
          </option>
        ))}
      </select>
      <span className="hs-status-num hs-status-muted" data-testid="segment-count">
        of {segments.length}
      </span>
    </label>
  );
}
