/**
 * The statistics a tab's table and graph show, following its focus: the
 * window's statistics from the history store (refreshed about once a second
 * while the window's newest part is still being recorded), or the tab's own
 * when it has no stored session. Answers to superseded requests are dropped.
 */
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import type { HopscopeApi } from '@shared/ipc';
import type { HopStatsUpdate } from '@shared/session';
import type { WindowStatsInfo } from '@shared/storedSessions';
import type { Sample } from '@shared/traceFile';
import { hopList } from '../store/selectors';
import type { TraceTab } from '../store/reducers';
import { useController, useUi } from '../app/context';
import { tabUi } from '../app/uiState';
import { SPARKLINE_DEFAULTS } from '../graph/Sparkline';
import { resolveFocus, type FocusInput, type ResolvedFocus } from './focusChoice';
import { focusInputOf, focusKey } from './focusInput';
import { LatestRequest } from './latestRequest';
import { bucketSamples, windowHops } from './windowHops';
import { useStoredIdLookup } from './useStoredIdLookup';

/** How often a following focus asks again (after the previous answer came back). */
export const FOCUS_REFRESH_MS = 1000;

export interface FocusedStats {
  focus: ResolvedFocus;
  /** The clock the focus was resolved with (ticks while the focus follows a running trace). */
  now: number;
  /** What the table and graph draw. */
  hops: readonly HopStatsUpdate[];
  /** Sparkline samples of a past window (one per timeline bucket), once fetched. */
  sparklineSamples?: Readonly<Record<number, readonly Sample[]>>;
  /** Rounds the shown statistics cover, when known. */
  rounds: number | null;
  /** The tab's own statistics are shown: it has no stored session. */
  fallback: boolean;
  /** The live session is not being recorded (history off or failed), so it never gets a focus window. */
  unrecorded: boolean;
  /** The window's statistics are being fetched (the tab's own are shown meanwhile). */
  loading: boolean;
  error: string | null;
}

interface Answer {
  key: string;
  stats: WindowStatsInfo;
}

/** Now, ticking once a refresh while `ticking`. */
function useClock(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), FOCUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** Fetches the focus's statistics while `key` stays the same; the latest answer wins. */
function useWindowStats(api: HopscopeApi, focus: ResolvedFocus, key: string, input: FocusInput) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const latest = useRef(new LatestRequest());
  // The loop asks for the focus as it is at each tick (a live window slides) without restarting.
  const currentRequest = useEffectEvent(() => resolveFocus(input, Date.now()).request);
  const following = focus.following;
  const hasRequest = focus.request !== null;

  useEffect(() => {
    if (!hasRequest) return;
    const sequence = latest.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      const request = currentRequest();
      if (request === null) return;
      const ticket = sequence.begin();
      const result = await api.getWindowStats(request);
      // Superseded (another focus, or the tab went away): neither applied nor asked again.
      if (!sequence.isLatest(ticket)) return;
      if (result.ok) setAnswer({ key, stats: result.value });
      else setError({ key, message: result.error.message });
      if (following) timer = setTimeout(() => void ask(), FOCUS_REFRESH_MS);
    };
    void ask();
    return () => {
      sequence.cancel();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, key, following, hasRequest]);

  return {
    stats: answer?.key === key ? answer.stats : null,
    error: error?.key === key ? error.message : null,
  };
}

/** A past window's sparklines: one timeline query per TTL, asked once per window. */
function useWindowSparklines(api: HopscopeApi, focus: ResolvedFocus, stats: WindowStatsInfo | null) {
  const [answer, setAnswer] = useState<{ key: string; samples: Record<number, Sample[]> } | null>(null);
  const request = focus.choice === 'custom' ? focus.request : null;
  const from = request?.from;
  const to = request?.to;
  const id = request?.id;
  // Which responder a TTL's buckets are drawn as: its busiest in the window.
  const mains = useMemo(
    () =>
      stats?.hops.map((hop) => ({
        ttl: hop.ttl,
        address: [...hop.hosts].sort((a, b) => b.received - a.received)[0]?.address ?? null,
      })) ?? [],
    [stats],
  );
  const ttlsKey = mains.map((m) => `${m.ttl}=${m.address ?? ''}`).join(',');
  const key = `${id}:${from}:${to}:${ttlsKey}`;
  const latest = useRef(new LatestRequest());
  const currentMains = useEffectEvent(() => mains);

  useEffect(() => {
    if (id === undefined || from === undefined || to === undefined || ttlsKey === '') return;
    const sequence = latest.current;
    const ticket = sequence.begin();
    const buckets = SPARKLINE_DEFAULTS.rounds;
    void Promise.all(
      currentMains().map(async ({ ttl, address }) => {
        const result = await api.getTimeline({ id, ttl, from, to, buckets });
        return [ttl, result.ok ? bucketSamples(result.value, address) : []] as const;
      }),
    ).then((entries) => {
      if (sequence.isLatest(ticket)) setAnswer({ key, samples: Object.fromEntries(entries) });
    });
    return () => sequence.cancel();
  }, [api, id, from, to, ttlsKey, key]);

  return answer?.key === key ? answer.samples : undefined;
}

export function useFocusedStats(tab: TraceTab): FocusedStats {
  const { api } = useController();
  const ui = useUi((s) => tabUi(s, tab.id));
  const unrecorded = useStoredIdLookup(tab);
  const input = focusInputOf(tab, ui);
  const now = useClock(input.running && input.storedId !== undefined);
  const focus = resolveFocus(input, now);
  const key = focusKey(focus);
  const { stats, error } = useWindowStats(api, focus, key, input);
  const sparklineSamples = useWindowSparklines(api, focus, stats);
  const own = hopList(tab);
  const { hops: liveHops, hostnames, owners } = tab;
  const hops = useMemo(
    () => (stats === null ? null : windowHops(stats, { hops: liveHops, hostnames, owners })),
    [stats, liveHops, hostnames, owners],
  );
  const fallback = focus.request === null;
  return {
    focus,
    now,
    hops: hops ?? own,
    ...(sparklineSamples === undefined ? {} : { sparklineSamples }),
    rounds: stats?.rounds ?? (fallback ? (tab.summary?.rounds ?? tab.readOnlyDoc?.rounds ?? null) : null),
    fallback,
    unrecorded: unrecorded !== null && unrecorded === tab.sessionId,
    loading: !fallback && stats === null && error === null,
    error,
  };
}
