/** Small builders for hops, samples and sessions, plus a React render helper for happy-dom. */
import { act, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { HostStats, Sample } from '@shared/traceFile';
import type { HopStatsUpdate, SessionSummary } from '@shared/session';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';

export function host(address: string, over: Partial<HostStats> = {}): HostStats {
  return {
    address,
    hostname: null,
    received: 10,
    lastMs: 10,
    avgMs: 10,
    bestMs: 9,
    worstMs: 12,
    stdevMs: 0.8,
    jitterMs: 0.5,
    mpls: [],
    ...over,
  };
}

export function hop(ttl: number, hosts: HostStats[], over: Partial<HopStatsUpdate> = {}): HopStatsUpdate {
  const sent = over.sent ?? 10;
  const received = hosts.reduce((n, h) => n + h.received, 0);
  return {
    ttl,
    sent,
    received,
    lossPct: sent === 0 ? 0 : Math.max(0, ((sent - received) / sent) * 100),
    hosts,
    ...over,
  };
}

export function sample(round: number, address: string | null, rttMs: number | null): Sample {
  return {
    round,
    at: 1_700_000_000_000 + round * 1000,
    result: rttMs === null ? 'no-reply' : 'ttl-expired',
    address: rttMs === null ? null : address,
    rttMs,
  };
}

/** A straight path: TTL n answered by 10.0.0.n. */
export function straightPath(length: number): HopStatsUpdate[] {
  return Array.from({ length }, (_, i) => hop(i + 1, [host(`10.0.0.${i + 1}`)]));
}

export function summary(over: Partial<SessionSummary> = {}, options: Partial<TraceOptionsInput> = {}): SessionSummary {
  return {
    id: 'session-1',
    options: traceOptionsSchema.parse({ target: 'target.hopscope.test', ...options }),
    state: 'running',
    targetAddress: '93.184.216.34',
    ipVersion: 4,
    destinationTtl: null,
    rounds: 0,
    startedAt: 1_700_000_000_000,
    mtrPacketVersion: '0.95',
    restarts: [],
    ...over,
  };
}

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLDivElement;
  rerender(element: ReactElement): void;
  unmount(): void;
}

export function render(element: ReactElement): Rendered {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  act(() => root.render(element));
  return {
    container,
    rerender: (next) => act(() => root.render(next)),
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}
