/**
 * Everything the shell does, without React: it talks to the HopscopeApi,
 * feeds the trace store, and keeps the shell's own state (form drafts,
 * banners, what mtr-packet supports) in a small zustand store. Components
 * only read state and call these methods, so the wiring is testable with a
 * fake api.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  HopscopeApi,
  ImportResult,
  IpcError,
  IpcResult,
  LocalAddress,
  MenuCommand,
  MtrPacketStatus,
  SaveResult,
} from '@shared/ipc';
import { MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE, traceFileTooLargeToRead } from '@shared/limits';
import type { SessionEventBatch, SessionState, UserFacingError } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import type { TraceOptions } from '@shared/traceOptions';
import { formatReport } from '@shared/formats/report';
import type { TraceStore } from '../store/traceStore';
import { toTraceDocument, type TraceTab } from '../store/reducers';
import { selectActiveTab } from '../store/selectors';
import { svgToPngBlob } from '../graph/pngExport';
import {
  defaultDraft,
  draftDiffers,
  draftFromOptions,
  validateDraft,
  type FieldIssue,
  type OptionsDraft,
} from '../options/formModel';
import { readTargetHistory, rememberTarget } from '../options/targetHistory';

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

export interface UiState {
  drafts: Readonly<Record<string, OptionsDraft>>;
  /** A field the engine rejected, shown like a form error until the draft changes. */
  remoteIssues: Readonly<Record<string, FieldIssue | undefined>>;
  /** A call in flight for a tab (buttons show it and don't double-send). */
  busy: Readonly<Record<string, boolean | undefined>>;
  banners: readonly Banner[];
  mtrStatus: MtrPacketStatus | null;
  localAddresses: readonly LocalAddress[];
  targetHistory: readonly string[];
  /** Options of the last trace started here or remembered by the app: new tabs start from them. */
  lastOptions: TraceOptions | null;
  files: Readonly<Record<string, FileInfo | undefined>>;
  /** A file is being dragged over the window. */
  dragging: boolean;
}

/** States in which a session is still probing (or about to). */
export const ACTIVE_STATES: ReadonlySet<SessionState> = new Set(['resolving', 'running', 'paused']);

const TOAST_MS = 4000;
/** Batches kept for a session no tab shows yet (its start reply may arrive after its first events). */
const PENDING_BATCHES_PER_SESSION = 200;
const PENDING_SESSIONS = 16;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function fileStamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'trace';
}

export function isActive(tab: TraceTab | null | undefined): boolean {
  return tab?.summary != null && ACTIVE_STATES.has(tab.summary.state);
}

export interface ControllerOptions {
  /** Where the target history lives (tests pass their own). */
  storage?: Storage | null;
  /** Clipboard writer; defaults to navigator.clipboard with a fallback. */
  writeClipboard?: (text: string) => Promise<void>;
}

export class AppController {
  readonly ui: StoreApi<UiState>;
  private readonly graphs = new Map<string, SVGSVGElement>();
  private readonly pendingBatches = new Map<string, SessionEventBatch[]>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private nextBannerId = 1;
  private readonly storage: Storage | null | undefined;
  private readonly writeClipboard: (text: string) => Promise<void>;

  constructor(
    readonly api: HopscopeApi,
    readonly traces: TraceStore,
    options: ControllerOptions = {},
  ) {
    this.storage = options.storage;
    this.writeClipboard = options.writeClipboard ?? defaultWriteClipboard;
    this.ui = createStore<UiState>()(() => ({
      drafts: {},
      remoteIssues: {},
      busy: {},
      banners: [],
      mtrStatus: null,
      localAddresses: [],
      targetHistory: readTargetHistory(this.storage),
      lastOptions: null,
      files: {},
      dragging: false,
    }));
  }

  /** Subscribes to the engine, then tells it to start sending. Returns the cleanup. */
  init(): () => void {
    const offEvents = this.api.on('sessionEvents', (batch) => this.onBatch(batch));
    const offMenu = this.api.on('menuCommand', (command) => void this.runCommand(command));
    void this.api.rendererReady();
    void this.checkMtrPacket();
    void this.loadLocalAddresses();
    if (this.traces.getState().tabs.length === 0) this.newTab();
    void this.loadLastOptions();
    return () => {
      offEvents();
      offMenu();
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
    };
  }

  // ---- engine events -------------------------------------------------------

  onBatch(batch: SessionEventBatch): void {
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

  private replayPending(sessionId: string): void {
    const queue = this.pendingBatches.get(sessionId);
    this.pendingBatches.delete(sessionId);
    for (const batch of queue ?? []) this.traces.getState().applyBatch(batch);
  }

  async checkMtrPacket(): Promise<void> {
    const result = await this.api.checkMtrPacket();
    if (!result.ok) {
      this.showError({ title: 'Could not check mtr-packet', detail: result.error.message }, null);
      return;
    }
    this.ui.setState({ mtrStatus: result.value });
    if (!result.value.available && result.value.error) this.showError(result.value.error, null);
  }

  /** The options of the last trace started (remembered by the app) prefill the form. */
  private async loadLastOptions(): Promise<void> {
    const result = await this.api.getLastTraceOptions();
    if (!result.ok || result.value === null) return;
    const last = result.value;
    this.ui.setState({ lastOptions: last });
    // Only a form nobody has touched yet.
    for (const tab of this.traces.getState().tabs) {
      if (tab.mode === 'live' && tab.summary === null && this.ui.getState().drafts[tab.id] === undefined) {
        this.setDraft(tab.id, draftFromOptions(last));
      }
    }
  }

  private async loadLocalAddresses(): Promise<void> {
    const result = await this.api.listLocalAddresses();
    if (result.ok) this.ui.setState({ localAddresses: result.value });
  }

  // ---- tabs ----------------------------------------------------------------

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
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (tab === undefined) return;
    this.traces.getState().closeTab(tabId);
    this.graphs.delete(tabId);
    this.ui.setState((s) => ({
      drafts: without(s.drafts, tabId),
      remoteIssues: without(s.remoteIssues, tabId),
      files: without(s.files, tabId),
      banners: s.banners.filter((b) => b.tabId !== tabId),
    }));
    if (this.traces.getState().tabs.length === 0) this.newTab();
    if (tab.sessionId !== null) await this.api.closeSession({ sessionId: tab.sessionId });
  }

  /** Ctrl+1…9: the nth tab, 9 the last. */
  selectTabAt(index: number): void {
    const tabs = this.traces.getState().tabs;
    const tab = index >= 8 ? tabs[tabs.length - 1] : tabs[index];
    if (tab) this.selectTab(tab.id);
  }

  // ---- the form ------------------------------------------------------------

  draftFor(tab: TraceTab): OptionsDraft {
    const own = this.ui.getState().drafts[tab.id];
    if (own) return own;
    if (tab.summary) return draftFromOptions(tab.summary.options);
    if (tab.readOnlyDoc) return draftFromDocument(tab.readOnlyDoc);
    return defaultDraft();
  }

  setDraft(tabId: string, draft: OptionsDraft): void {
    this.ui.setState((s) => ({
      drafts: { ...s.drafts, [tabId]: draft },
      remoteIssues: s.remoteIssues[tabId] ? without(s.remoteIssues, tabId) : s.remoteIssues,
    }));
  }

  updateDraft(tabId: string, patch: Partial<OptionsDraft>): void {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (tab === undefined || tab.mode === 'file') return;
    this.setDraft(tabId, { ...this.draftFor(tab), ...patch });
  }

  /** The options changed on a running trace: Apply would restart it. */
  isDirty(tab: TraceTab): boolean {
    const own = this.ui.getState().drafts[tab.id];
    return own !== undefined && tab.summary !== null && draftDiffers(own, tab.summary.options);
  }

  // ---- sessions ------------------------------------------------------------

  private async withBusy<T>(tabId: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.ui.getState().busy[tabId]) return undefined;
    this.ui.setState((s) => ({ busy: { ...s.busy, [tabId]: true } }));
    try {
      return await work();
    } finally {
      this.ui.setState((s) => ({ busy: without(s.busy, tabId) }));
    }
  }

  /** Starts a new session in the tab (the active one by default). False when the form is invalid. */
  async start(tabId = this.traces.getState().activeTabId): Promise<boolean> {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (!tab || tab.mode === 'file' || isActive(tab)) return false;
    const validation = validateDraft(this.draftFor(tab));
    if (!validation.ok) return false;
    const options = validation.options;
    const started = await this.withBusy(tab.id, async () => {
      const result = await this.api.startSession(options);
      if (!result.ok) {
        this.reportCallError(tab.id, 'Could not start the trace', result.error);
        return false;
      }
      this.clearTabBanners(tab.id);
      const previous = this.traces.getState().tabs.find((t) => t.id === tab.id)?.sessionId ?? null;
      this.traces.getState().attachSession(tab.id, result.value);
      this.replayPending(result.value.id);
      this.ui.setState((s) => ({
        targetHistory: rememberTarget(options.target, this.storage),
        drafts: without(s.drafts, tab.id),
        lastOptions: options,
      }));
      // The old session's data left the tab with attachSession; free its slot in the engine.
      if (previous !== null) void this.api.closeSession({ sessionId: previous });
      return true;
    });
    return started ?? false;
  }

  async stop(tabId = this.traces.getState().activeTabId): Promise<void> {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (!tab?.sessionId || !isActive(tab)) return;
    const sessionId = tab.sessionId;
    await this.withBusy(tab.id, async () => {
      const result = await this.api.stopSession({ sessionId });
      if (!result.ok) this.reportCallError(tab.id, 'Could not stop the trace', result.error);
    });
  }

  async togglePause(tabId = this.traces.getState().activeTabId): Promise<void> {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (!tab?.sessionId || !tab.summary) return;
    const sessionId = tab.sessionId;
    const paused = tab.summary.state === 'paused';
    if (!paused && tab.summary.state !== 'running') return;
    await this.withBusy(tab.id, async () => {
      const result = paused ? await this.api.resumeSession({ sessionId }) : await this.api.pauseSession({ sessionId });
      if (!result.ok) this.reportCallError(tab.id, `Could not ${paused ? 'resume' : 'pause'} the trace`, result.error);
    });
  }

  /** Applies the edited options to the running session: a restart that keeps its history. */
  async applyChanges(tabId = this.traces.getState().activeTabId): Promise<boolean> {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (!tab?.sessionId || !isActive(tab)) return false;
    const validation = validateDraft(this.draftFor(tab));
    if (!validation.ok) return false;
    const sessionId = tab.sessionId;
    const options = validation.options;
    const applied = await this.withBusy(tab.id, async () => {
      const result = await this.api.updateSession({ sessionId, options });
      if (!result.ok) {
        this.reportCallError(tab.id, 'Could not apply the new options', result.error);
        return false;
      }
      this.traces.getState().renameTab(tab.id, options.target);
      // The draft stays until the session's next state event carries the new options.
      this.ui.setState({ targetHistory: rememberTarget(options.target, this.storage) });
      return true;
    });
    return applied ?? false;
  }

  /** The form's primary action: start, or apply edits to a running trace. */
  async submit(tabId = this.traces.getState().activeTabId): Promise<void> {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (!tab) return;
    if (isActive(tab)) {
      if (this.isDirty(tab)) await this.applyChanges(tab.id);
    } else {
      await this.start(tab.id);
    }
  }

  /** Ctrl+Enter and the menu: stop what runs, otherwise start. */
  async startStop(): Promise<void> {
    const tab = this.activeTab();
    if (!tab) return;
    if (isActive(tab)) {
      await this.stop(tab.id);
      return;
    }
    // Through the form when it is shown, so an invalid field is pointed out as on a click.
    const form = typeof document === 'undefined' ? null : document.querySelector<HTMLFormElement>('form.hs-options');
    if (form !== null && typeof form.requestSubmit === 'function') form.requestSubmit();
    else await this.start(tab.id);
  }

  // ---- files ---------------------------------------------------------------

  registerGraph(tabId: string, svg: SVGSVGElement | null): void {
    if (svg) this.graphs.set(tabId, svg);
    else this.graphs.delete(tabId);
  }

  /** What the active tab would save, or null with a banner saying why not. */
  private async documentOf(tab: TraceTab): Promise<TraceDocument | null> {
    if (tab.mode === 'live' && tab.sessionId !== null) {
      const result = await this.api.getSessionDocument({ sessionId: tab.sessionId });
      if (result.ok) return result.value;
      this.reportCallError(tab.id, 'Could not read the trace', result.error);
      return null;
    }
    try {
      return toTraceDocument(tab);
    } catch {
      this.showInfo('Nothing to export yet', 'warning', 'Start a trace or open a file first.');
      return null;
    }
  }

  private suggestedName(tab: TraceTab): string {
    return `hopscope-${safeName(tab.title)}-${fileStamp()}`;
  }

  async exportJson(): Promise<void> {
    const tab = this.activeTab();
    if (!tab) return;
    const document = await this.documentOf(tab);
    if (document === null) return;
    const result = await this.api.saveTraceJson({ suggestedName: this.suggestedName(tab), document });
    this.reportSave(tab.id, result, 'trace');
  }

  async exportPng(): Promise<void> {
    const tab = this.activeTab();
    if (!tab) return;
    const svg = this.graphs.get(tab.id);
    if (!svg || Object.keys(tab.hops).length === 0) {
      this.showInfo('Nothing to export yet', 'warning', 'The graph is empty: start a trace or open a file first.');
      return;
    }
    let pngBase64: string;
    try {
      const background = getComputedStyle(svg).getPropertyValue('--hs-bg').trim() || undefined;
      const blob = await svgToPngBlob(svg, { scale: 2, background });
      pngBase64 = bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
    } catch (err) {
      this.showError({ title: 'Could not draw the PNG', detail: (err as Error).message }, tab.id);
      return;
    }
    const result = await this.api.savePng({ suggestedName: this.suggestedName(tab), pngBase64 });
    this.reportSave(tab.id, result, 'image');
  }

  private reportSave(tabId: string, result: IpcResult<SaveResult>, what: string): void {
    if (!result.ok) this.reportCallError(tabId, `Could not save the ${what}`, result.error);
    else if (result.value.saved) this.showInfo(`Saved ${result.value.path}`, 'success');
  }

  async openFile(): Promise<void> {
    const result = await this.api.openTraceFile();
    if (!result.ok) {
      this.reportCallError(null, 'Could not open the file', result.error);
      return;
    }
    if (result.value !== null) this.acceptImport(result.value);
  }

  /** A file dropped on the window. */
  async importFile(file: File): Promise<void> {
    const fileName = file.name.slice(0, 1024);
    if (traceFileTooLargeToRead(file.size)) {
      this.acceptImport({ ok: false, fileName, error: TRACE_FILE_TOO_LARGE });
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      this.acceptImport({ ok: false, fileName, error: `cannot read it: ${(err as Error).message}` });
      return;
    }
    if (text.length > MAX_TRACE_FILE_CHARS) {
      this.acceptImport({ ok: false, fileName, error: TRACE_FILE_TOO_LARGE });
      return;
    }
    const result = await this.api.importTraceText({ fileName, text });
    if (!result.ok) this.reportCallError(null, `Could not open ${fileName}`, result.error);
    else this.acceptImport(result.value);
  }

  private acceptImport(result: ImportResult): void {
    if (!result.ok) {
      // The view stays as it was: only a banner says what was wrong.
      this.showError(
        {
          title: `Could not open ${result.fileName}`,
          detail: result.error,
          fix: 'Open a Hopscope trace (.json) or an mtr report saved with mtr --json.',
        },
        null,
      );
      return;
    }
    const tabId = this.traces.getState().openFileTab(result.document, result.fileName);
    this.ui.setState((s) => ({
      files: { ...s.files, [tabId]: { fileName: result.fileName, sourceFormat: result.sourceFormat } },
    }));
  }

  async copyReport(): Promise<void> {
    const tab = this.activeTab();
    if (!tab) return;
    let text: string;
    try {
      text = formatReport(toTraceDocument(tab));
    } catch {
      this.showInfo('Nothing to copy yet', 'warning', 'Start a trace or open a file first.');
      return;
    }
    try {
      await this.writeClipboard(text);
      this.showInfo('Report copied', 'success', 'In the layout of mtr --report.');
    } catch (err) {
      this.showError({ title: 'Could not copy the report', detail: (err as Error).message }, tab.id);
    }
  }

  /** Opens a live tab with a file's target and options, ready to start. */
  traceAgain(tabId: string): void {
    const tab = this.traces.getState().tabs.find((t) => t.id === tabId);
    if (tab?.readOnlyDoc) this.newTab(draftFromDocument(tab.readOnlyDoc));
  }

  setDragging(dragging: boolean): void {
    if (this.ui.getState().dragging !== dragging) this.ui.setState({ dragging });
  }

  // ---- commands ------------------------------------------------------------

  async runCommand(command: MenuCommand): Promise<void> {
    switch (command) {
      case 'new-tab':
        this.newTab();
        return;
      case 'open':
        return this.openFile();
      case 'export-json':
        return this.exportJson();
      case 'export-png':
        return this.exportPng();
      case 'start-stop':
        return this.startStop();
      case 'copy-report':
        return this.copyReport();
    }
  }

  // ---- banners -------------------------------------------------------------

  showError(error: Pick<UserFacingError, 'title' | 'detail' | 'fix'>, tabId: string | null): void {
    this.addBanner({ tone: 'error', title: error.title, detail: error.detail, fix: error.fix, tabId });
  }

  /** A short note that goes away by itself. */
  showInfo(title: string, tone: BannerTone = 'info', detail?: string): void {
    const id = this.addBanner({ tone, title, detail, tabId: null });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dismissBanner(id);
    }, TOAST_MS);
    this.timers.add(timer);
  }

  private addBanner(banner: Omit<Banner, 'id'>): number {
    const id = this.nextBannerId++;
    // The same message twice is one banner.
    this.ui.setState((s) => ({
      banners: [
        ...s.banners.filter(
          (b) => !(b.title === banner.title && b.detail === banner.detail && b.tabId === banner.tabId),
        ),
        { ...banner, id },
      ].slice(-5),
    }));
    return id;
  }

  dismissBanner(id: number): void {
    this.ui.setState((s) => ({ banners: s.banners.filter((b) => b.id !== id) }));
  }

  private clearTabBanners(tabId: string): void {
    this.ui.setState((s) => ({ banners: s.banners.filter((b) => b.tabId !== tabId) }));
  }

  private reportCallError(tabId: string | null, title: string, error: IpcError): void {
    if (error.code === 'invalid-request' && error.field && tabId !== null) {
      const field = error.field.replace(/^options\./, '').split('.')[0] ?? '';
      const message = error.message.replace(/^[\w.]+: /, '');
      if (field in defaultDraft()) {
        this.ui.setState((s) => ({
          remoteIssues: { ...s.remoteIssues, [tabId]: { field: field as FieldIssue['field'], message } },
        }));
        return;
      }
    }
    if (error.userError) this.showError(error.userError, tabId);
    else this.showError({ title, detail: error.message }, tabId);
  }
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  if (!(key in record)) return record as Record<string, T>;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export function draftFromDocument(doc: TraceDocument): OptionsDraft {
  const { sampleBufferSize: _ignored, ...options } = doc.options;
  return draftFromOptions({ ...options, target: doc.target.input });
}

async function defaultWriteClipboard(text: string): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Denied (no user gesture, no focus): fall back to a selection copy.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('the clipboard is not available here');
}
