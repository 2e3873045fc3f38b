/**
 * Everything the shell does, without React: it talks to the HopscopeApi,
 * feeds the trace store, and keeps the shell's own state (uiState.ts).
 * Session commands, file commands and banners live in their own modules;
 * this class wires them, owns the tabs and their forms, and routes engine
 * events. Components only read state and call these methods, so the wiring
 * is testable with a fake api. Components hand in the DOM it needs (the
 * graph's <svg>, the form's submit) through the register methods.
 */
import type { HopscopeApi, MenuCommand } from '@shared/ipc';
import { isSessionFileId } from '@shared/sessionFileFormat';
import type { SessionEventBatch } from '@shared/session';
import type { TraceStore } from '../store/traceStore';
import type { TraceTab } from '../store/reducers';
import { selectActiveTab, tabById } from '../store/selectors';
import { defaultDraft, draftFromDocument, draftFromOptions, type OptionsDraft } from '../options/formModel';
import { formChecks, type FormChecks } from '../options/lazyFormChecks';
import { BannerQueue } from './bannerQueue';
import { writeClipboardText } from './clipboard';
import { FileCommands } from './fileCommands';
import { HistoryCommands } from './historyCommands';
import { SessionCommands } from './sessionCommands';
import { SeqRebase, snapshotBatch } from './sessionSnapshot';
import { ACTIVE_STATES } from '../store/selectors';
import type { ShellCore } from './shellCore';
import { createUiStore, dropTabUi, patchTabUi, tabUi, type UiStore } from './uiState';
import { OwnerDataCommands } from '../settings/ownerDataCommands';

/** Batches kept for a session no tab shows yet (its start reply may arrive after its first events). */
const PENDING_BATCHES_PER_SESSION = 200;
const PENDING_SESSIONS = 16;

export interface ControllerOptions {
  /** Where the target history lives (tests pass their own). */
  storage?: Storage | null;
  /** Clipboard writer; defaults to the async Clipboard API. */
  writeClipboard?: (text: string) => Promise<void>;
}

/** DOM a tab's components registered: what the PNG export draws and what Ctrl+Enter submits. */
interface TabHandles {
  graph?: SVGSVGElement;
  submitForm?: () => void;
}

export class AppController implements ShellCore {
  readonly ui: UiStore;
  readonly banners: BannerQueue;
  readonly sessions: SessionCommands;
  readonly files: FileCommands;
  readonly history: HistoryCommands;
  /** The About box and the AS / country database settings. */
  readonly ownerData: OwnerDataCommands;
  readonly storage: Storage | null | undefined;
  private readonly handles = new Map<string, TabHandles>();
  private readonly pendingBatches = new Map<string, SessionEventBatch[]>();
  private readonly rebase = new SeqRebase();
  /** The empty tab opened at start-up, until someone edits its form: re-attached sessions replace it. */
  private startupTabId: string | null = null;

  constructor(
    readonly api: HopscopeApi,
    readonly traces: TraceStore,
    options: ControllerOptions = {},
  ) {
    this.storage = options.storage;
    // The remembered targets are checked with the form's checks: listed once those have loaded.
    this.ui = createUiStore([]);
    formChecks.subscribe(() => {
      this.ui.setState({ targetHistory: formChecks.current()!.readTargetHistory(this.storage) });
    });
    this.banners = new BannerQueue(this.ui);
    this.sessions = new SessionCommands(this);
    this.files = new FileCommands(this, options.writeClipboard ?? writeClipboardText, () => this.history);
    this.history = new HistoryCommands(this, (tabId) => this.sessions.start(tabId));
    this.ownerData = new OwnerDataCommands(api);
  }

  /** Subscribes to the engine, then tells it to start sending. Returns the cleanup. */
  init(): () => void {
    const offEvents = this.api.on('sessionEvents', (batch) => this.onBatch(batch));
    const offMenu = this.api.on('menuCommand', (command) => void this.runCommand(command));
    void this.api.rendererReady();
    void this.checkMtrPacket();
    void this.loadLocalAddresses();
    if (this.traces.getState().tabs.length === 0) this.startupTabId = this.newTab();
    void this.loadLastOptions();
    void this.reattachSessions();
    // The status bar names the data date; asking also starts loading the data in the background.
    void this.ownerData.refreshStatus();
    return () => {
      offEvents();
      offMenu();
      this.banners.dispose();
      this.ownerData.dispose();
    };
  }

  // ---- engine events -------------------------------------------------------

  onBatch(incoming: SessionEventBatch): void {
    const batch = this.rebase.rebase(incoming);
    if (this.traces.getState().tabs.some((t) => t.sessionId === batch.sessionId)) {
      this.traces.getState().applyBatch(batch);
      return;
    }
    let queue = this.pendingBatches.get(batch.sessionId);
    if (queue === undefined) {
      if (this.pendingBatches.size >= PENDING_SESSIONS) {
        const oldest = this.pendingBatches.keys().next().value;
        if (oldest !== undefined) this.pendingBatches.delete(oldest);
      }
      queue = [];
      this.pendingBatches.set(batch.sessionId, queue);
    }
    queue.push(batch);
    if (queue.length > PENDING_BATCHES_PER_SESSION) queue.shift();
  }

  replayPending(sessionId: string): void {
    const queue = this.pendingBatches.get(sessionId);
    this.pendingBatches.delete(sessionId);
    for (const batch of queue ?? []) this.traces.getState().applyBatch(batch);
  }

  /**
   * Sessions still running in the engine (this window reloaded, or a harness
   * page reconnected) get a tab each, with the history the engine holds.
   * Returns how many were re-attached.
   */
  async reattachSessions(): Promise<number> {
    const listed = await this.api.listSessions();
    if (!listed.ok) return 0;
    const shown = new Set(this.traces.getState().tabs.map((t) => t.sessionId));
    const running = listed.value.filter((s) => ACTIVE_STATES.has(s.state) && !shown.has(s.id));
    let attached = 0;
    for (const listedSummary of running) {
      const claim = await this.api.attachSession({ sessionId: listedSummary.id });
      if (!claim.ok) continue;
      const summary = claim.value;
      const doc = await this.api.getSessionDocument({ sessionId: summary.id });
      // Batches queued so far are older than the document: it replaces them.
      this.pendingBatches.delete(summary.id);
      const tabId = this.traces.getState().openLiveTab({ summary });
      if (doc.ok) {
        this.traces.getState().applyBatch(snapshotBatch(summary.id, doc.value, summary.destinationTtl));
        this.rebase.track(summary.id);
      }
      if (attached === 0) this.selectTab(tabId);
      attached++;
    }
    // The empty tab opened at start-up is not needed beside the re-attached ones.
    const startup = this.findTab(this.startupTabId);
    if (attached > 0 && startup !== undefined && startup.summary === null) void this.closeTab(startup.id);
    return attached;
  }

  async checkMtrPacket(): Promise<void> {
    const result = await this.api.checkMtrPacket();
    if (!result.ok) {
      this.banners.showError({ title: 'Could not check mtr-packet', detail: result.error.message }, null);
      return;
    }
    this.ui.setState({ mtrStatus: result.value });
    if (!result.value.available && result.value.error) this.banners.showError(result.value.error, null);
  }

  /** The options of the last trace started (remembered by the app) prefill the form. */
  private async loadLastOptions(): Promise<void> {
    const result = await this.api.getLastTraceOptions();
    if (!result.ok || result.value === null) return;
    const last = result.value;
    this.ui.setState({ lastOptions: last });
    // Only a form nobody has touched yet.
    for (const tab of this.traces.getState().tabs) {
      if (tab.mode === 'live' && tab.summary === null && tabUi(this.ui.getState(), tab.id).draft === undefined) {
        this.setDraft(tab.id, draftFromOptions(last));
      }
    }
  }

  private async loadLocalAddresses(): Promise<void> {
    const result = await this.api.listLocalAddresses();
    if (result.ok) this.ui.setState({ localAddresses: result.value });
  }

  // ---- tabs ----------------------------------------------------------------

  findTab(tabId: string | null): TraceTab | undefined {
    return tabById(this.traces.getState(), tabId) ?? undefined;
  }

  activeTab(): TraceTab | null {
    return selectActiveTab(this.traces.getState());
  }

  /** A new live tab; its form starts from `draft`, else from the last trace's options. */
  newTab(draft?: OptionsDraft): string {
    const id = this.traces.getState().openLiveTab();
    const last = this.ui.getState().lastOptions;
    const initial = draft ?? (last === null ? undefined : draftFromOptions(last));
    if (initial) this.setDraft(id, initial);
    return id;
  }

  selectTab(tabId: string): void {
    this.traces.getState().selectTab(tabId);
  }

  async closeTab(tabId: string): Promise<void> {
    const tab = this.findTab(tabId);
    if (tab === undefined) return;
    const storedId = tabUi(this.ui.getState(), tabId).storedId;
    this.traces.getState().closeTab(tabId);
    this.handles.delete(tabId);
    if (tab.sessionId !== null) this.rebase.forget(tab.sessionId);
    dropTabUi(this.ui, tabId);
    if (this.traces.getState().tabs.length === 0) this.newTab();
    if (tab.sessionId !== null) await this.api.closeSession({ sessionId: tab.sessionId });
    // An opened session file is open in main only for its tab.
    if (storedId !== undefined && isSessionFileId(storedId)) await this.history.closeFile(storedId);
  }

  /** Ctrl+1…9: the nth tab, 9 the last. */
  selectTabAt(index: number): void {
    const tabs = this.traces.getState().tabs;
    const tab = index >= 8 ? tabs[tabs.length - 1] : tabs[index];
    if (tab) this.selectTab(tab.id);
  }

  setDragging(dragging: boolean): void {
    if (this.ui.getState().dragging !== dragging) this.ui.setState({ dragging });
  }

  // ---- DOM the components hand in -------------------------------------------

  private setHandle<K extends keyof TabHandles>(tabId: string, key: K, value: TabHandles[K] | null): void {
    const handles = this.handles.get(tabId) ?? {};
    if (value === null) delete handles[key];
    else handles[key] = value;
    this.handles.set(tabId, handles);
  }

  registerGraph(tabId: string, svg: SVGSVGElement | null): void {
    this.setHandle(tabId, 'graph', svg);
  }

  registerFormSubmit(tabId: string, submit: (() => void) | null): void {
    this.setHandle(tabId, 'submitForm', submit);
  }

  graphOf(tabId: string): SVGSVGElement | undefined {
    return this.handles.get(tabId)?.graph;
  }

  formSubmitOf(tabId: string): (() => void) | undefined {
    return this.handles.get(tabId)?.submitForm;
  }

  // ---- the form ------------------------------------------------------------

  draftFor(tab: TraceTab): OptionsDraft {
    const own = tabUi(this.ui.getState(), tab.id).draft;
    if (own) return own;
    if (tab.summary) return draftFromOptions(tab.summary.options);
    if (tab.readOnlyDoc) return draftFromDocument(tab.readOnlyDoc);
    return defaultDraft();
  }

  /** A new draft clears the engine's complaint about the previous one. */
  setDraft(tabId: string, draft: OptionsDraft): void {
    patchTabUi(this.ui, tabId, { draft, remoteIssue: undefined });
  }

  updateDraft(tabId: string, patch: Partial<OptionsDraft>): void {
    if (tabId === this.startupTabId) this.startupTabId = null;
    const tab = this.findTab(tabId);
    if (tab === undefined || tab.mode === 'file') return;
    this.setDraft(tabId, { ...this.draftFor(tab), ...patch });
    // Someone is at the form: it will want its checks (usually loaded already, after the first screen).
    formChecks.load().catch(() => undefined); // a failed load is tried again on submit, which reports it
  }

  isDirty(tab: TraceTab, checks: FormChecks): boolean {
    const own = tabUi(this.ui.getState(), tab.id).draft;
    return own !== undefined && tab.summary !== null && checks.draftDiffers(own, tab.summary.options);
  }

  // ---- commands ------------------------------------------------------------

  async runCommand(command: MenuCommand): Promise<void> {
    switch (command) {
      case 'new-tab':
        this.newTab();
        return;
      case 'open':
        return this.files.openFile();
      case 'export-json':
        return this.files.exportJson();
      case 'export-session':
        return this.files.exportSession();
      case 'export-png':
        return this.files.exportPng();
      case 'start-stop':
        return this.sessions.startStop();
      case 'copy-report':
        return this.files.copyReport();
      case 'about':
      case 'enrichment-settings':
        return this.ownerData.open(command);
    }
  }
}
