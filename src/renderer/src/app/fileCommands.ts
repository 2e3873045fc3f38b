/**
 * What leaves or enters the app as a file or text: JSON and PNG export,
 * opening and dropping trace files, and copying the mtr-style report.
 */
import type { ImportResult, IpcResult, SaveResult } from '@shared/ipc';
import { MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE, traceFileTooLargeToRead } from '@shared/limits';
import type { TraceDocument } from '@shared/traceFile';
import { hasDuckDbMagic } from '@shared/sessionFileFormat';
import { toTraceDocument, type TraceTab } from '../store/reducers';
import { draftFromDocument } from '../options/formModel';
import type { ShellCore } from './shellCore';
import { patchTabUi, tabUi } from './uiState';
import { preloadableModule } from './preloadableLazy';
import type { HistoryCommands } from './historyCommands';

/** The focus code of the exports: the first screen needs none of it (preloaded once it is drawn). */
const focusExport = preloadableModule(() => import('../focus/focusExport'));

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

function suggestedName(tab: TraceTab): string {
  return `hopscope-${safeName(tab.title)}-${fileStamp()}`;
}

export class FileCommands {
  constructor(
    private readonly core: ShellCore,
    private readonly writeClipboard: (text: string) => Promise<void>,
    /** The sessions list's commands: Export JSON and Export session of stored sessions, opened session files. */
    private readonly history: () => Pick<HistoryCommands, 'exportJson' | 'exportSession' | 'openedFile'>,
  ) {}

  /**
   * What the tab shows as a document (Export JSON of a tab without a stored
   * session, the PNG's header), or null with a banner saying why not.
   */
  private async documentOf(tab: TraceTab): Promise<TraceDocument | null> {
    // A focus window of a stored session: that window's statistics, saying so. Its every sample is
    // exportJson's, which main writes; here one per hop is enough.
    const { tabFocus, exportWindow, focusedExport } = await focusExport.load();
    const focus = tabFocus(tab, tabUi(this.core.ui.getState(), tab.id));
    const window = exportWindow(focus);
    if (focus.request !== null && window !== null) {
      const result = await this.core.api.openStoredSession({ id: focus.request.id, ...window, samplesPerHop: 1 });
      if (result.ok) return focusedExport(result.value, window);
      this.core.banners.reportCallError(tab.id, 'Could not read the focus window', result.error);
      return null;
    }
    if (tab.mode === 'live' && tab.sessionId !== null) {
      const result = await this.core.api.getSessionDocument({ sessionId: tab.sessionId });
      if (result.ok) return result.value;
      this.core.banners.reportCallError(tab.id, 'Could not read the trace', result.error);
      return null;
    }
    try {
      return toTraceDocument(tab);
    } catch {
      this.core.banners.showInfo('Nothing to export yet', 'warning', 'Start a trace or open a file first.');
      return null;
    }
  }

  async exportJson(): Promise<void> {
    const tab = this.core.activeTab();
    if (!tab) return;
    // A focus window, or an opened stored session: main writes it from the store, every sample.
    const { tabFocus, exportWindow } = await focusExport.load();
    const focus = tabFocus(tab, tabUi(this.core.ui.getState(), tab.id));
    const window = exportWindow(focus);
    if (focus.request !== null && (window !== null || tab.mode === 'file')) {
      const { id, from, to } = focus.request;
      // A stored tab's whole session is every segment; the view of an earlier one exports that segment.
      const part = window ?? (tab.showing === undefined ? {} : { from, to });
      await this.history().exportJson(tab.id, id, part, suggestedName(tab));
      return;
    }
    const document = await this.documentOf(tab);
    if (document === null) return;
    const result = await this.core.api.saveTraceJson({ suggestedName: suggestedName(tab), document });
    this.reportSave(tab.id, result, 'trace');
  }

  /** Export session: the tab's whole stored session, every sample, as one file main writes from the store. */
  async exportSession(): Promise<void> {
    const tab = this.core.activeTab();
    if (!tab) return;
    const storedId = tabUi(this.core.ui.getState(), tab.id).storedId;
    if (storedId === undefined) {
      this.core.banners.showInfo(
        'No recorded session in this tab',
        'warning',
        'Export session saves a session of the history: a trace being recorded, or one opened from the sessions ' +
          'list or from a session file. Export JSON saves this tab.',
      );
      return;
    }
    await this.history().exportSession(tab.id, storedId, suggestedName(tab));
  }

  async exportPng(): Promise<void> {
    const { api, banners } = this.core;
    const tab = this.core.activeTab();
    if (!tab) return;
    const svg = this.core.graphOf(tab.id);
    if (!svg || Object.keys(tab.hops).length === 0) {
      banners.showInfo('Nothing to export yet', 'warning', 'The graph is empty: start a trace or open a file first.');
      return;
    }
    const document = await this.documentOf(tab);
    if (document === null) return;
    let pngBase64: string;
    try {
      const style = getComputedStyle(svg);
      const background = style.getPropertyValue('--hs-bg').trim() || undefined;
      const foreground = style.getPropertyValue('--hs-fg').trim() || undefined;
      // Loaded on first export: the first screen does not need them.
      const [{ svgToPngBlob }, { pngHeaderLines }] = await Promise.all([
        import('../graph/pngExport'),
        import('../graph/pathSummary'),
      ]);
      const header = pngHeaderLines(document);
      const blob = await svgToPngBlob(svg, { scale: 2, background, foreground, header });
      pngBase64 = bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
    } catch (err) {
      banners.showError({ title: 'Could not draw the PNG', detail: (err as Error).message }, tab.id);
      return;
    }
    const result = await api.savePng({ suggestedName: suggestedName(tab), pngBase64 });
    this.reportSave(tab.id, result, 'image');
  }

  /** The world map's PNG (the map draws it), saved like the graph's. */
  async saveMapPng(png: Blob): Promise<void> {
    const tab = this.core.activeTab();
    if (!tab) return;
    const pngBase64 = bytesToBase64(new Uint8Array(await png.arrayBuffer()));
    const result = await this.core.api.savePng({ suggestedName: `${suggestedName(tab)}-map`, pngBase64 });
    this.reportSave(tab.id, result, 'image');
  }

  private reportSave(tabId: string, result: IpcResult<SaveResult>, what: string): void {
    if (!result.ok) this.core.banners.reportCallError(tabId, `Could not save the ${what}`, result.error);
    else if (result.value.saved) this.core.banners.showInfo(`Saved ${result.value.path}`, 'success');
  }

  async openFile(): Promise<void> {
    const result = await this.core.api.openTraceFile();
    if (!result.ok) {
      this.core.banners.reportCallError(null, 'Could not open the file', result.error);
      return;
    }
    if (result.value !== null) this.acceptImport(result.value);
  }

  /** A file dropped on the window. */
  async importFile(file: File): Promise<void> {
    const fileName = file.name.slice(0, 1024);
    let text: string;
    try {
      // A session file is opened by main (it reads it as a database), as Open opens one; never parsed as text here.
      if (hasDuckDbMagic(new Uint8Array(await file.slice(0, 12).arrayBuffer()))) {
        await this.openDroppedSessionFile(file, fileName);
        return;
      }
      if (traceFileTooLargeToRead(file.size)) {
        this.acceptImport({ ok: false, fileName, error: TRACE_FILE_TOO_LARGE });
        return;
      }
      text = await file.text();
    } catch (err) {
      this.acceptImport({ ok: false, fileName, error: `cannot read it: ${(err as Error).message}` });
      return;
    }
    if (text.length > MAX_TRACE_FILE_CHARS) {
      this.acceptImport({ ok: false, fileName, error: TRACE_FILE_TOO_LARGE });
      return;
    }
    const result = await this.core.api.importTraceText({ fileName, text });
    if (!result.ok) this.core.banners.reportCallError(null, `Could not open ${fileName}`, result.error);
    else this.acceptImport(result.value);
  }

  private async openDroppedSessionFile(file: File, fileName: string): Promise<void> {
    const result = await this.core.api.openDroppedSessionFile(file);
    if (!result.ok) this.core.banners.reportCallError(null, `Could not open ${fileName}`, result.error);
    else this.acceptImport(result.value);
  }

  private acceptImport(result: ImportResult): void {
    if (!result.ok) {
      // The view stays as it was: only a banner says what was wrong.
      this.core.banners.showError(
        {
          title: `Could not open ${result.fileName}`,
          detail: result.error,
          fix: 'Open a Hopscope trace (.json) or session file (.duckdb), or an mtr report saved with mtr --json.',
        },
        null,
      );
      return;
    }
    // A session file: its stored session, whose timeline and focus window main reads from the file.
    if (result.stored) this.history().openedFile(result.stored);
    const tabId = this.core.traces.getState().openFileTab(result.document, result.fileName);
    const focusWindow = result.document.focusWindow;
    patchTabUi(this.core.ui, tabId, {
      ...(result.stored ? { storedId: result.stored.id } : {}),
      file: { fileName: result.fileName, sourceFormat: result.sourceFormat },
      // A saved focus window is shown as the tab's focus (its statistics are the window's).
      ...(focusWindow === undefined ? {} : { focus: focusWindow }),
    });
  }

  async copyReport(): Promise<void> {
    const { banners } = this.core;
    const tab = this.core.activeTab();
    if (!tab) return;
    // The report writer loads on first use, well within the click's user activation.
    const { formatReport } = await import('@shared/formats/report');
    let text: string;
    try {
      text = formatReport(toTraceDocument(tab));
    } catch {
      banners.showInfo('Nothing to copy yet', 'warning', 'Start a trace or open a file first.');
      return;
    }
    const focused = await this.focusedReport(tab, formatReport);
    if (focused === null) return;
    if (focused !== undefined) text = focused;
    try {
      await this.writeClipboard(text);
      banners.showInfo('Report copied', 'success', 'In the layout of mtr --report.');
    } catch (err) {
      banners.showError({ title: 'Could not copy the report', detail: (err as Error).message }, tab.id);
    }
  }

  /**
   * The report of the tab's focus window, headed by which window it is;
   * undefined when the tab has no stored session (its own statistics are
   * reported); null when the window could not be read (a banner said why).
   */
  private async focusedReport(
    tab: TraceTab,
    formatReport: (doc: TraceDocument) => string,
  ): Promise<string | null | undefined> {
    const { tabFocus, focusedReportText } = await focusExport.load();
    const focus = tabFocus(tab, tabUi(this.core.ui.getState(), tab.id));
    if (focus.request === null) return undefined;
    const result = await this.core.api.getWindowStats(focus.request);
    if (!result.ok) {
      this.core.banners.reportCallError(tab.id, 'Could not read the focus window', result.error);
      return null;
    }
    return focusedReportText(tab, focus, result.value, formatReport);
  }

  /** Opens a live tab with a file's target and options, ready to start. */
  traceAgain(tabId: string): void {
    const tab = this.core.findTab(tabId);
    if (tab?.readOnlyDoc) this.core.newTab(draftFromDocument(tab.readOnlyDoc));
  }
}
