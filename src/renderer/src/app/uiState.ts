/**
 * The shell's own state, apart from the traces: per-tab form drafts, busy
 * flags and file details (one record per tab, so closing a tab is one
 * delete), banners, and what the engine told about mtr-packet and this host.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LocalAddress, MtrPacketStatus } from '@shared/ipc';
import type { TraceOptions } from '@shared/traceOptions';
import type { FocusWindow } from '@shared/storedSessions';
import type { FieldIssue, OptionsDraft } from '../options/formModel';
import type { FocusSpan } from '../focus/focusChoice';

export type BannerTone = 'error' | 'warning' | 'info' | 'success';

export interface Banner {
  id: number;
  tone: BannerTone;
  title: string;
  detail?: string;
  /** What to do about it; shown as a copyable command. */
  fix?: string;
  /** Shown only while this tab is active; null for the whole app. */
  tabId: string | null;
}

export interface FileInfo {
  fileName: string;
  sourceFormat: string;
}

/** What the shell keeps for one tab; every key absent until needed. */
export interface TabUi {
  /** The form as edited, when it differs from what the tab shows. */
  draft?: OptionsDraft;
  /** A field the engine rejected, shown like a form error until the draft changes. */
  remoteIssue?: FieldIssue;
  /** A call in flight for the tab (buttons show it and don't double-send). */
  busy?: boolean;
  /** The opened file, for a file tab. */
  file?: FileInfo;
  /**
   * The stored session (history file id) this tab shows or records, once
   * known: the timeline and the focus window read from it.
   */
  storedId?: number;
  /** TTLs whose timelines are pinned under the destination's, in pin order. */
  pinnedTtls?: readonly number[];
  /** The brushed focus window; absent means live focus (the last LIVE_FOCUS_MINUTES). */
  focus?: FocusWindow;
  /** The focus control's choice while no window is set: live last N minutes, or the whole session. */
  focusSpan?: FocusSpan;
}

export interface UiState {
  tabs: Readonly<Record<string, TabUi | undefined>>;
  banners: readonly Banner[];
  mtrStatus: MtrPacketStatus | null;
  localAddresses: readonly LocalAddress[];
  targetHistory: readonly string[];
  /** Options of the last trace started here or remembered by the app: new tabs start from them. */
  lastOptions: TraceOptions | null;
  /** A file is being dragged over the window. */
  dragging: boolean;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(targetHistory: readonly string[]): UiStore {
  return createStore<UiState>()(() => ({
    tabs: {},
    banners: [],
    mtrStatus: null,
    localAddresses: [],
    targetHistory,
    lastOptions: null,
    dragging: false,
  }));
}

const NO_TAB_UI: TabUi = {};

/** A tab's UI state (a shared empty record when it has none). */
export function tabUi(state: UiState, tabId: string): TabUi {
  return state.tabs[tabId] ?? NO_TAB_UI;
}

/** Sets keys of a tab's UI state; a key set to undefined is removed. */
export function patchTabUi(ui: UiStore, tabId: string, patch: Partial<TabUi>): void {
  ui.setState((s) => {
    const next: TabUi = { ...s.tabs[tabId], ...patch };
    for (const key of Object.keys(patch) as (keyof TabUi)[]) if (next[key] === undefined) delete next[key];
    return { tabs: { ...s.tabs, [tabId]: next } };
  });
}

/** Forgets everything about a closed tab: its record and its banners. */
export function dropTabUi(ui: UiStore, tabId: string): void {
  ui.setState((s) => {
    const tabs = { ...s.tabs };
    delete tabs[tabId];
    return { tabs, banners: s.banners.filter((b) => b.tabId !== tabId) };
  });
}
