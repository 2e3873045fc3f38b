/**
 * The left column of an agent's session: what it traces and how, and the
 * state of the connection, with no form: the agent's config decides its
 * options, and the app only watches.
 */
import { PROTOCOL_LABELS } from '@shared/protocols';
import type { RemoteOrigin, SessionSummary } from '@shared/session';
import { FactList } from '../app/FactList';
import { SessionEvents } from '../app/SessionEvents';
import { useTraces } from '../app/context';
import { tabById } from '../store/selectors';
import { connectionSentence, remoteBadge } from './connectionText';
import { useNow } from './useNow';
import './AgentsPanel.css';

function facts(summary: SessionSummary): [string, string][] {
  const o = summary.options;
  return [
    ['Target', o.target],
    ['Address', summary.targetAddress ?? '—'],
    ['Protocol', `${PROTOCOL_LABELS[o.protocol]}${o.port !== undefined ? ` port ${o.port}` : ''}`],
    ['TTL', `${o.firstTtl}–${o.maxTtl}`],
    ['Interval', `${o.intervalSec} s`],
    ['Rounds', String(summary.rounds)],
    ['State', summary.state],
  ];
}

export function RemoteSessionPanel({ tabId, origin }: { tabId: string; origin: RemoteOrigin }) {
  const summary = useTraces((s) => tabById(s, tabId)?.summary ?? null);
  const now = useNow(origin.connection === 'lost');
  if (summary === null) return null;
  return (
    <div className="hs-file-panel" data-testid="remote-panel">
      <p className="hs-panel-kicker">{remoteBadge(origin)}</p>
      <p
        className="hs-remote-connection"
        data-testid="remote-connection"
        data-connection={origin.connection}
        role="status"
      >
        {connectionSentence(origin, now)}
      </p>
      <FactList className="hs-facts" facts={facts(summary)} />
      <p className="hs-field-hint">The agent&apos;s config sets its targets and options; this view only watches.</p>
      <SessionEvents markers={summary.markers} unreachable={summary.unreachable} />
    </div>
  );
}
