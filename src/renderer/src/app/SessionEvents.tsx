/**
 * What happened to a trace that its numbers alone do not say: helper
 * restarts and stalls (rounds that are not loss), options changes, an
 * unreachable destination, a run that ended early. Shown under the options
 * of a live tab and the details of an opened file.
 */
import type { Marker, MarkerKind, TraceDocument, Unreachable } from '@shared/traceFile';
import { printableText } from '@shared/textSafety';

const MARKER_TEXT: Readonly<Record<MarkerKind, string>> = {
  'options-changed': 'Options changed',
  'statistics-reset': 'Statistics reset',
  'helper-restarted': 'Helper restarted',
  'helper-stalled': 'Helper stalled (not loss)',
};

export interface SessionEventsProps {
  markers: readonly Marker[] | undefined;
  unreachable: Unreachable | undefined;
  endedEarly?: TraceDocument['endedEarly'];
}

export function SessionEvents({ markers = [], unreachable, endedEarly }: SessionEventsProps) {
  if (markers.length === 0 && unreachable === undefined && endedEarly === undefined) return null;
  return (
    <section className="hs-session-events" aria-label="Events" data-testid="session-events">
      <p className="hs-panel-kicker">Events</p>
      <ul>
        {unreachable !== undefined && (
          <li className="is-warning" data-testid="event-unreachable">
            Unreachable (!N/!H): {printableText(unreachable.address)} at hop {unreachable.ttl} answered that the
            destination cannot be reached; nothing past it is probed.
          </li>
        )}
        {endedEarly !== undefined && (
          <li className="is-warning" data-testid="event-ended-early">
            Ended early: {printableText(endedEarly.reason)}
          </li>
        )}
        {markers.map((marker, i) => (
          <li key={`${marker.kind}-${marker.at}-${i}`} data-testid="event-marker" data-kind={marker.kind}>
            <time dateTime={new Date(marker.at).toISOString()}>{new Date(marker.at).toLocaleTimeString()}</time>{' '}
            {MARKER_TEXT[marker.kind]}, round {marker.round}
            {marker.detail ? `: ${printableText(marker.detail)}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
