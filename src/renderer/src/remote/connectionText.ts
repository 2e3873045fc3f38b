/** How a remote session's connection reads in its tab and side panel. */
import type { RemoteOrigin } from '@shared/session';

export function remoteBadge(origin: RemoteOrigin | undefined): string | null {
  if (origin === undefined) return null;
  const state =
    origin.connection === 'connected'
      ? 'read-only'
      : origin.connection === 'lost'
        ? 'connection lost'
        : origin.connection === 'connecting'
          ? 'connecting'
          : 'disconnected';
  return `agent ${origin.address} · ${state}`;
}

/** The sentence for the side panel; `now` in ms since the epoch, so a countdown can tick. */
export function connectionSentence(origin: RemoteOrigin, now: number): string {
  switch (origin.connection) {
    case 'connected':
      return `Connected to agent ${origin.address}: live, read-only.`;
    case 'connecting':
      return `Connecting to agent ${origin.address}…`;
    case 'closed':
      return `Disconnected from agent ${origin.address}: what was drawn stays.`;
    case 'lost': {
      if (origin.retryAt === null) return `Connection to agent ${origin.address} lost.`;
      const seconds = Math.max(0, Math.ceil((origin.retryAt - now) / 1000));
      return seconds > 0
        ? `Connection to agent lost — reconnecting in ${seconds} s`
        : 'Connection to agent lost — reconnecting now';
    }
  }
}
