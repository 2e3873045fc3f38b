/**
 * Derived views of the store. zustand re-renders when a selector's result
 * changes identity, so anything built here is cached on the object it is
 * built from.
 */
import type { HopStatsUpdate, SessionState } from '@shared/session';
import type { Hop } from '@shared/traceFile';
import type { TraceTab, TabsState } from './reducers';
import { shownTab } from './segments';

/** States in which a session is still probing (or about to). */
export const ACTIVE_STATES: ReadonlySet<SessionState> = new Set(['resolving', 'running', 'paused']);

/** The tab's session is still probing (or about to). */
export function isActive(tab: TraceTab | null | undefined): boolean {
  return tab?.summary != null && ACTIVE_STATES.has(tab.summary.state);
}

export function tabById(state: TabsState, tabId: string | null): TraceTab | null {
  return state.tabs.find((t) => t.id === tabId) ?? null;
}

/**
 * The active tab as it is drawn: with the segment the person chose (the
 * current one by default), so graph, table, status and report never mix two.
 */
export function selectActiveTab(state: TabsState): TraceTab | null {
  const tab = tabById(state, state.activeTabId);
  return tab === null ? null : shownTab(tab);
}

const hopListCache = new WeakMap<TraceTab['hops'], readonly HopStatsUpdate[]>();

/** A tab's hops in TTL order; the same array until the hops change. */
export function hopList(tab: TraceTab): readonly HopStatsUpdate[] {
  let list = hopListCache.get(tab.hops);
  if (list === undefined) {
    list = Object.values(tab.hops).sort((a, b) => a.ttl - b.ttl);
    hopListCache.set(tab.hops, list);
  }
  return list;
}

/**
 * Whether a hop is on the current path. The engine decides (`Hop.onPath`,
 * absent meaning yes); the graph and the table both ask here and grey out
 * the hops it no longer probes instead of dropping them.
 */
export function isOnPath(hop: Pick<Hop, 'onPath'>): boolean {
  return hop.onPath !== false;
}
