/**
 * The renderer's trace state: open tabs (live sessions and opened files) and
 * which one is active. A vanilla zustand store so non-React code (the IPC
 * bridge) can feed it; every transition is a pure reducer from reducers.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionEventBatch, SessionSummary, UserFacingError } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import {
  applyBatchToTabs,
  attachSession,
  closeTab,
  createLiveTab,
  loadDocument,
  openTab,
  selectTab,
  selectTtl,
  updateTab,
  type TabsState,
} from './reducers';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import { viewSegment } from './segments';

export interface TraceStoreActions {
  /** Opens an empty live tab (optionally already bound to a session) and makes it active. Returns its id. */
  openLiveTab(init?: { title?: string; summary?: SessionSummary }): string;
  /** Opens a saved trace read-only and makes it active. Returns its id. */
  openFileTab(doc: TraceDocument, title?: string): string;
  /** Binds a tab to a (new) session, dropping what it showed before. */
  attachSession(tabId: string, summary: SessionSummary): void;
  closeTab(tabId: string): void;
  selectTab(tabId: string): void;
  /** Selects a hop in a tab (the active one by default); null clears. */
  selectTtl(ttl: number | null, tabId?: string): void;
  /** Applies a batch from the main process to the tab showing its session. */
  applyBatch(batch: SessionEventBatch): void;
  setTabError(tabId: string, error: UserFacingError | null): void;
  /** Shows segment `index` of a tab; null follows the current one. */
  viewSegment(tabId: string, index: number | null): void;
  renameTab(tabId: string, title: string): void;
}

export interface TraceStoreState extends TabsState, TraceStoreActions {
  /** Samples kept per TTL in new live tabs. */
  sampleCap: number;
}

export interface TraceStoreOptions {
  sampleCap?: number;
  /** Tab id generator (deterministic ids in tests). */
  createTabId?: () => string;
}

export type TraceStore = StoreApi<TraceStoreState>;

export function createTraceStore({
  sampleCap = DEFAULT_SAMPLES_PER_HOP,
  createTabId,
}: TraceStoreOptions = {}): TraceStore {
  let counter = 0;
  const nextId = createTabId ?? (() => `tab-${++counter}`);

  return createStore<TraceStoreState>()((set, get) => {
    const setTabs = (reduce: (state: TabsState) => TabsState) =>
      set((state) => {
        const next = reduce(state);
        return next === state ? state : { tabs: next.tabs, activeTabId: next.activeTabId };
      });

    return {
      tabs: [],
      activeTabId: null,
      sampleCap,

      openLiveTab(init = {}) {
        const tab = createLiveTab({
          id: nextId(),
          title: init.title,
          summary: init.summary,
          sampleCap: get().sampleCap,
        });
        setTabs((s) => openTab(s, tab));
        return tab.id;
      },
      openFileTab(doc, title) {
        const tab = loadDocument(doc, { id: nextId(), title, sampleCap: get().sampleCap });
        setTabs((s) => openTab(s, tab));
        return tab.id;
      },
      attachSession(tabId, summary) {
        setTabs((s) => updateTab(s, tabId, (tab) => attachSession(tab, summary)));
      },
      closeTab(tabId) {
        setTabs((s) => closeTab(s, tabId));
      },
      selectTab(tabId) {
        setTabs((s) => selectTab(s, tabId));
      },
      selectTtl(ttl, tabId) {
        const id = tabId ?? get().activeTabId;
        if (id !== null) setTabs((s) => updateTab(s, id, (tab) => selectTtl(tab, ttl)));
      },
      applyBatch(batch) {
        setTabs((s) => applyBatchToTabs(s, batch));
      },
      setTabError(tabId, error) {
        setTabs((s) => updateTab(s, tabId, (tab) => (tab.error === error ? tab : { ...tab, error })));
      },
      viewSegment(tabId, index) {
        setTabs((s) => updateTab(s, tabId, (tab) => viewSegment(tab, index)));
      },
      renameTab(tabId, title) {
        setTabs((s) => updateTab(s, tabId, (tab) => (tab.title === title ? tab : { ...tab, title })));
      },
    };
  });
}

/** The app's store. */
export const traceStore: TraceStore = createTraceStore();
