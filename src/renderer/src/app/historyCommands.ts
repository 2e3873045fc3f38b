/**
 * The sessions list: what the history file holds, opening a stored session
 * as a read-only tab (bounded like a live tab; Export JSON has main write
 * every sample from the store) and deleting one. Its state is its own small store: the
 * list is fetched when the panel asks, not pushed with every batch.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_SAMPLES_PER_HOP, MAX_AGENT_MESSAGE_BYTES, MAX_OPENED_SAMPLES } from '@shared/limits';
import type { FocusWindow, HistoryStatus, StoredSessionInfo } from '@shared/storedSessions';
import { openNewestFitting } from '@shared/openedWindow';
import { spanText } from '../focus/openWindow';
import type { ShellCore } from './shellCore';
import { patchTabUi, tabUi } from './uiState';
import { draftFromDocument } from '../options/formModel';
import { loadedFormChecks } from '../options/lazyFormChecks';

export interface HistoryPanelState {
  status: HistoryStatus | null;
  sessions: readonly StoredSessionInfo[];
  /** Opened session files' sessions (not in the history, so not listed), while their tabs are open. */
  files: readonly StoredSessionInfo[];
  loading: boolean;
  /** Stored session ids with a call in flight (open, delete). */
  busy: readonly number[];
}

export type HistoryPanelStore = StoreApi<HistoryPanelState>;

/** How an opened stored session names itself in its tab's side panel. */
export const STORED_SESSION_FORMAT = 'session history';

export class HistoryCommands {
  readonly store: HistoryPanelStore = createStore<HistoryPanelState>()(() => ({
    status: null,
    sessions: [],
    files: [],
    loading: false,
    busy: [],
  }));
  /** The problem a banner already showed, so a refresh does not show it again. */
  private shownProblem: string | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly core: ShellCore,
    /** Starts the trace of a live tab (SessionCommands.start). */
    private readonly startTab: (tabId: string) => Promise<unknown>,
  ) {}

  /** Reads the list again; callers asking while a read is in flight share it (several views poll it). */
  refresh(): Promise<void> {
    this.refreshing ??= this.readList().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readList(): Promise<void> {
    this.store.setState({ loading: true });
    const result = await this.core.api.listStoredSessions();
    this.store.setState({ loading: false });
    if (!result.ok) {
      this.core.banners.reportCallError(null, 'Could not list the stored sessions', result.error);
      return;
    }
    const { history, sessions } = result.value;
    this.store.setState({ status: history, sessions });
    this.linkLiveTabs(sessions);
    if (history.state === 'failed' && history.problem && history.problem !== this.shownProblem) {
      this.shownProblem = history.problem;
      this.core.banners.showError(
        {
          title: 'Session history is off',
          detail: history.problem,
          fix: 'Tracing works as usual; traces are not recorded until the history file can be opened.',
        },
        null,
      );
    }
  }

  /**
   * Live tabs learn the stored id of their session: the history records it
   * under the live id (`uid`), so the list is the one place that pairs them.
   */
  private linkLiveTabs(sessions: readonly StoredSessionInfo[]): void {
    const byUid = new Map(sessions.map((s) => [s.uid, s.id]));
    for (const tab of this.core.traces.getState().tabs) {
      if (tab.mode !== 'live' || tab.sessionId === null) continue;
      const id = byUid.get(tab.sessionId);
      if (id !== undefined && tabUi(this.core.ui.getState(), tab.id).storedId !== id) {
        patchTabUi(this.core.ui, tab.id, { storedId: id });
      }
    }
  }

  /**
   * Opens the stored session read-only in a new tab; returns the tab id. The
   * tab holds what a live tab holds however long the session ran: the whole
   * session's statistics and each hop's newest DEFAULT_SAMPLES_PER_HOP
   * samples; the timeline, the focus window and Export JSON read the store.
   */
  async open(id: number): Promise<string | null> {
    const session = this.store.getState().sessions.find((s) => s.id === id);
    const result = await this.withBusy(id, () =>
      this.core.api.openStoredSession({ id, samplesPerHop: DEFAULT_SAMPLES_PER_HOP }),
    );
    if (!result.ok) {
      this.core.banners.reportCallError(null, 'Could not open the stored session', result.error);
      return null;
    }
    const title = session?.target ?? result.value.target.input;
    const tabId = this.core.traces.getState().openFileTab(result.value, title);
    const started = session ? new Date(session.startedAt).toLocaleString() : `#${id}`;
    patchTabUi(this.core.ui, tabId, {
      file: { fileName: `${title} · ${started}`, sourceFormat: STORED_SESSION_FORMAT },
      storedId: id,
    });
    return tabId;
  }

  /**
   * Export JSON of stored session `id` (`window`: its focus window): main
   * builds and writes the document from the store. The whole of a session
   * with more samples than one document carries saves its newest part that
   * fits, with its focus window saying which, and a banner saying so.
   */
  async exportJson(tabId: string, id: number, window: Partial<FocusWindow>, suggestedName: string): Promise<void> {
    const session = storedInfo(this.store.getState(), id);
    const whole = window.from === undefined && window.to === undefined;
    const { result, window: part } = await openNewestFitting(whole ? session : undefined, (fitting) =>
      this.core.api.exportStoredSession({ id, suggestedName, ...(fitting ?? window) }),
    );
    if (!result.ok) {
      this.core.banners.reportCallError(tabId, 'Could not save the trace', result.error);
      return;
    }
    if (!result.value.saved) return;
    if (part === null || session === undefined) {
      this.core.banners.showInfo(`Saved ${result.value.path}`, 'success');
      return;
    }
    this.core.banners.showInfo(
      `Saved the last ${spanText(part.to - part.from)} of this session to ${result.value.path}`,
      'info',
      `It holds ${session.samples.toLocaleString('en-US')} samples, more than one file carries ` +
        `(${MAX_OPENED_SAMPLES.toLocaleString('en-US')}, or ${MAX_AGENT_MESSAGE_BYTES / (1024 * 1024)} MB from an ` +
        'agent). Brush a focus window on the timeline to save another part.',
    );
  }

  /** Export session: main writes stored session `id`, every sample, to a file of its own. */
  async exportSession(tabId: string, id: number, suggestedName: string): Promise<void> {
    const result = await this.core.api.exportSessionFile({ id, suggestedName });
    if (!result.ok) {
      this.core.banners.reportCallError(tabId, 'Could not export the session', result.error);
      return;
    }
    if (!result.value.saved) return;
    const samples = storedInfo(this.store.getState(), id)?.samples;
    this.core.banners.showInfo(
      `Saved the session to ${result.value.path}`,
      'success',
      `${samples === undefined ? 'Every' : `All ${samples.toLocaleString('en-US')}`} samples, segments and markers ` +
        'in one file: open it with Open, or read it with hopscope report.',
    );
  }

  /** A session file was opened: its session is known by its id while its tab is open. */
  openedFile(info: StoredSessionInfo): void {
    this.store.setState((s) => ({ files: [...s.files.filter((f) => f.id !== info.id), info] }));
  }

  /** Its tab closed: main closes the file. */
  async closeFile(id: number): Promise<void> {
    this.store.setState((s) => ({ files: s.files.filter((f) => f.id !== id) }));
    const result = await this.core.api.closeSessionFile({ id });
    if (!result.ok) this.core.banners.reportCallError(null, 'Could not close the session file', result.error);
  }

  /**
   * "Trace this target again" on an opened stored session: a live trace with
   * its options, started, that the history records into that stored session
   * as a new segment (the timeline shows one session with a gap and a marker).
   */
  async traceAgain(tabId: string): Promise<void> {
    const doc = this.core.findTab(tabId)?.readOnlyDoc;
    if (!doc) return;
    const storedId = tabUi(this.core.ui.getState(), tabId).storedId;
    const draft = draftFromDocument(doc);
    const liveTab = this.core.newTab(draft);
    // Checks that cannot load go the ordinary way too, whose start says why.
    const checks = await Promise.resolve(loadedFormChecks()).catch(() => null);
    const validation = checks?.validateDraft(draft);
    // A file tab (no stored session) or options the form must correct: the ordinary start, through the form.
    if (storedId === undefined || !validation?.ok) {
      await this.startTab(liveTab);
      return;
    }
    const result = await this.core.api.startSession({ ...validation.options, continueStoredId: storedId });
    if (!result.ok) {
      this.core.banners.reportCallError(liveTab, 'Could not continue the stored session', result.error);
      return;
    }
    this.core.traces.getState().attachSession(liveTab, result.value);
    this.core.replayPending(result.value.id);
    patchTabUi(this.core.ui, liveTab, { storedId, draft: undefined });
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.withBusy(id, () => this.core.api.deleteStoredSession({ id }));
    if (!result.ok) {
      this.core.banners.reportCallError(null, 'Could not delete the stored session', result.error);
      return false;
    }
    this.store.setState((s) => ({ sessions: s.sessions.filter((session) => session.id !== id) }));
    await this.refresh();
    return true;
  }

  private async withBusy<T>(id: number, run: () => Promise<T>): Promise<T> {
    this.store.setState((s) => ({ busy: [...s.busy, id] }));
    try {
      return await run();
    } finally {
      this.store.setState((s) => ({ busy: s.busy.filter((b) => b !== id) }));
    }
  }
}

/** What the sessions list or an opened session file says of stored session `id`. */
export function storedInfo(state: HistoryPanelState, id: number): StoredSessionInfo | undefined {
  return state.sessions.find((s) => s.id === id) ?? state.files.find((s) => s.id === id);
}
