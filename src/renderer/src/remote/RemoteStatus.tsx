/** The status bar's word on an agent's session: the connection, with its countdown while it is lost. */
import type { RemoteOrigin } from '@shared/session';
import { connectionSentence } from './connectionText';
import { useNow } from './useNow';

export function RemoteStatus({ origin }: { origin: RemoteOrigin }) {
  const now = useNow(origin.connection === 'lost');
  const down = origin.connection !== 'connected';
  return (
    <span className={`hs-status-item${down ? ' hs-status-warn' : ''}`} data-testid="status-remote">
      {connectionSentence(origin, now)}
    </span>
  );
}
