/** A fake HopscopeApi and helpers to mount the whole App in happy-dom and drive it like a person. */
import { vi } from 'vitest';
import { act } from 'react';
import { App } from '../../src/renderer/src/app/App';
import { preloadLazyParts } from '../../src/renderer/src/app/preloadableLazy';
import { createTraceStore, type TraceStore } from '../../src/renderer/src/store/traceStore';
import type {
  EventName,
  EventPayloads,
  HopscopeApi,
  InvokeName,
  InvokeResponses,
  IpcResult,
  MtrPacketStatus,
} from '@shared/ipc';
import type { SessionEvent, SessionEventBatch, SessionSummary } from '@shared/session';
import { parseTraceFile } from '@shared/formats/importTrace';
import type { TraceDocument } from '@shared/traceFile';
import { startSessionRequest } from '@shared/ipc';
import { hop, host, sample, summary, traceDocument } from '../fixtures/traceBuilders';
import { render, type Rendered } from './renderInDom';

type Handlers = {
  [K in InvokeName]: ReturnType<typeof vi.fn<(...args: unknown[]) => Promise<IpcResult<InvokeResponses[K]>>>>;
};

export const ok = <T,>(value: T): Promise<IpcResult<T>> => Promise.resolve({ ok: true, value });

export const MTR_OK: MtrPacketStatus = {
  available: true,
  path: '/usr/bin/mtr-packet',
  version: '0.95',
  features: { udp: true, tcp: true, sctp: false, 'ip-4': true, 'ip-6': true, mark: true },
};

/** A HopscopeApi whose calls are spies and whose events the test raises. */
export function fakeApi(transport: HopscopeApi['transport'] = 'harness') {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let sessions = 0;
  const handlers = {
    startSession: vi.fn((request: unknown) => {
      // The request is the options plus, for "trace again" on a stored session, the session it continues.
      const { continueStoredId: _continued, ...parsed } = startSessionRequest.parse(request);
      return ok(summary({ id: `s${++sessions}`, state: 'resolving', targetAddress: null }, parsed));
    }),
    stopSession: vi.fn(({ sessionId }: { sessionId: string }) => ok(summary({ id: sessionId, state: 'stopped' }))),
    pauseSession: vi.fn(({ sessionId }: { sessionId: string }) => ok(summary({ id: sessionId, state: 'paused' }))),
    resumeSession: vi.fn(({ sessionId }: { sessionId: string }) => ok(summary({ id: sessionId }))),
    updateSession: vi.fn(({ sessionId }: { sessionId: string }) => ok(summary({ id: sessionId }))),
    closeSession: vi.fn(() => ok(null)),
    listSessions: vi.fn(() => ok([] as SessionSummary[])),
    attachSession: vi.fn(({ sessionId }: { sessionId: string }) => ok(summary({ id: sessionId }))),
    getSessionDocument: vi.fn(() => ok(sampleDocument())),
    checkMtrPacket: vi.fn(() => ok(MTR_OK)),
    listLocalAddresses: vi.fn(() => ok([])),
    resolveTarget: vi.fn(() => ok({ target: 'x', v4: [], v6: [] })),
    importTraceText: vi.fn(({ fileName, text }: { fileName: string; text: string }) => {
      const parsed = parseTraceFile(text);
      return ok(
        parsed.ok
          ? { ok: true as const, document: parsed.doc, sourceFormat: parsed.sourceFormat, fileName }
          : { ok: false as const, error: parsed.error, fileName },
      );
    }),
    openTraceFile: vi.fn(() => ok(null)),
    saveTraceJson: vi.fn(() => ok({ saved: true as const, path: '/tmp/trace.json' })),
    savePng: vi.fn(() => ok({ saved: true as const, path: '/tmp/trace.png' })),
    getLastTraceOptions: vi.fn(() => ok(null)),
    rendererReady: vi.fn(() => ok(null)),
    getEnrichmentStatus: vi.fn(() => ok({ state: 'idle' as const, sources: [], problems: [] })),
    getEnrichmentSettings: vi.fn(() => ok({ asnDbPath: null, geoDbPath: null })),
    setEnrichmentSettings: vi.fn((settings: unknown) =>
      ok({ applied: true as const, settings, status: { state: 'ready' as const, sources: [], problems: [] } }),
    ),
    chooseDatabaseFile: vi.fn(() => ok(null)),
    listStoredSessions: vi.fn(() => ok({ history: { state: 'off' as const, path: null }, sessions: [] })),
    deleteStoredSession: vi.fn(() => ok(null)),
    openStoredSession: vi.fn(() => ok(sampleDocument())),
    exportStoredSession: vi.fn(() => ok({ saved: true as const, path: '/tmp/stored.json' })),
    getTimeline: vi.fn(() => ok([])),
    getWindowStats: vi.fn(() => ok({ hops: [], rounds: 0, firstAt: null, lastAt: null })),
    connectAgent: vi.fn(() => Promise.resolve({ ok: false, error: { code: 'failed', message: 'no agent here' } })),
    disconnectAgent: vi.fn(() => ok(null)),
    listAgents: vi.fn(() => ok([])),
    getTimelineMarkers: vi.fn(() => ok({ markers: [], more: false })),
    exportSessionFile: vi.fn(() => ok({ saved: true as const, path: '/tmp/session.duckdb' })),
    closeSessionFile: vi.fn(() => ok(null)),
    openDroppedSessionFile: vi.fn((file: File) =>
      ok({ ok: false as const, error: 'no session file here', fileName: file.name }),
    ),
  } as unknown as Handlers;
  const api = {
    ...handlers,
    on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    platform: 'linux',
    transport,
  } as unknown as HopscopeApi;
  const emit = <E extends EventName>(event: E, payload: EventPayloads[E]) =>
    act(() => {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayloads[E]) => void)(payload);
    });
  return { api, handlers, emit, listenerCount: (e: EventName) => listeners.get(e)?.size ?? 0 };
}

export function sampleDocument(over: Partial<TraceDocument> = {}): TraceDocument {
  const hops = [1, 2, 3].map((ttl) => ({
    ...hop(ttl, [host(ttl === 3 ? '192.0.2.9' : `10.9.0.${ttl}`, { received: 3 })], { sent: 3 }),
    samples: [0, 1, 2].map((round) => sample(round, ttl === 3 ? '192.0.2.9' : `10.9.0.${ttl}`, 5 + ttl + round)),
  }));
  return traceDocument(hops, {
    createdAt: '2025-01-02T03:04:05.000Z',
    target: { input: 'saved.example', address: '192.0.2.9', ipVersion: 4 },
    options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 3, intervalSec: 1, timeoutSec: 10, dns: false },
    rounds: 3,
    ...over,
  });
}

export const byTestId = (root: ParentNode, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
export const allByTestId = (root: ParentNode, id: string) => [
  ...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
];

export function typeInto(input: HTMLInputElement, value: string): void {
  act(() => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function click(el: Element): Promise<void> {
  await act(async () => {
    el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
}

/** Lets pending api promises settle inside act. */
export async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

export function stateBatch(s: SessionSummary, seq: number, extra: SessionEvent[] = []): SessionEventBatch {
  return { sessionId: s.id, seq, events: [{ type: 'state', summary: s }, ...extra] };
}

export function hopsEvent(round: number): SessionEvent {
  return {
    type: 'hops',
    hops: [hop(1, [host('10.0.0.1')]), hop(2, [host('10.0.0.2'), host('10.0.1.2')]), hop(3, [host('192.0.2.1')])],
    samples: [1, 2, 3].map((ttl) => ({
      ttl,
      samples: [sample(round, ttl === 3 ? '192.0.2.1' : `10.0.0.${ttl}`, ttl)],
    })),
  };
}

export async function mountApp(
  fake = fakeApi(),
  store: TraceStore = createTraceStore(),
  writeClipboard = vi.fn(async () => {}),
) {
  let rendered!: Rendered;
  // As the app does once its first screen is drawn: a trace's graph and table then render at once.
  await preloadLazyParts();
  await act(async () => {
    rendered = render(
      <App api={fake.api} store={store} controllerOptions={{ storage: localStorage, writeClipboard }} />,
    );
  });
  await settle();
  return { ...rendered, fake, store, writeClipboard };
}

export async function startTrace(container: HTMLElement, target = '192.0.2.1'): Promise<void> {
  typeInto(byTestId(container, 'target-input') as HTMLInputElement, target);
  await click(byTestId(container, 'start-button')!);
  await settle();
}

export function key(init: KeyboardEventInit): void {
  act(() => {
    window.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  });
}
