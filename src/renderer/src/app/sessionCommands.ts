/**
 * Starting, stopping, pausing and re-optioning a tab's session. Each call
 * marks the tab busy while it is in flight, so a second click is ignored,
 * and a refusal becomes a field error or a banner.
 */
import { loadedFormChecks, type FormChecks } from '../options/lazyFormChecks';
import { isActive } from '../store/selectors';
import type { ShellCore } from './shellCore';
import { patchTabUi, tabUi } from './uiState';

export class SessionCommands {
  constructor(private readonly core: ShellCore) {}

  private activeTabId(): string | null {
    return this.core.traces.getState().activeTabId;
  }

  private async withBusy<T>(tabId: string, work: () => Promise<T>): Promise<T | undefined> {
    const { ui } = this.core;
    if (tabUi(ui.getState(), tabId).busy) return undefined;
    patchTabUi(ui, tabId, { busy: true });
    try {
      return await work();
    } finally {
      // The tab may have closed meanwhile: then there is nothing to clear.
      if (ui.getState().tabs[tabId] !== undefined) patchTabUi(ui, tabId, { busy: undefined });
    }
  }

  /** The form's checks; when their chunk cannot load (the harness went away), a banner says so. */
  private async checksFor(tabId: string): Promise<FormChecks | null> {
    try {
      return await loadedFormChecks();
    } catch (err) {
      this.core.banners.showError({ title: 'Could not check the options', detail: (err as Error).message }, tabId);
      return null;
    }
  }

  /** Starts a new session in the tab (the active one by default). False when the form is invalid. */
  async start(tabId = this.activeTabId()): Promise<boolean> {
    const { api, traces, ui, banners, storage } = this.core;
    const tab = this.core.findTab(tabId);
    if (!tab || tab.mode === 'file' || isActive(tab)) return false;
    const checks = await this.checksFor(tab.id);
    const validation = checks?.validateDraft(this.core.draftFor(tab));
    if (!checks || !validation?.ok) return false;
    const options = validation.options;
    const started = await this.withBusy(tab.id, async () => {
      const result = await api.startSession(options);
      if (!result.ok) {
        banners.reportCallError(tab.id, 'Could not start the trace', result.error);
        return false;
      }
      banners.clearTab(tab.id);
      const previous = this.core.findTab(tab.id)?.sessionId ?? null;
      traces.getState().attachSession(tab.id, result.value);
      this.core.replayPending(result.value.id);
      // A new session is recorded as a new stored session: the old one's id and window no longer apply.
      patchTabUi(ui, tab.id, { draft: undefined, storedId: undefined, focus: undefined });
      ui.setState({ targetHistory: checks.rememberTarget(options.target, storage), lastOptions: options });
      // The old session's data left the tab with attachSession; free its slot in the engine.
      if (previous !== null) void api.closeSession({ sessionId: previous });
      return true;
    });
    return started ?? false;
  }

  async stop(tabId = this.activeTabId()): Promise<void> {
    const tab = this.core.findTab(tabId);
    if (!tab?.sessionId || !isActive(tab)) return;
    const sessionId = tab.sessionId;
    await this.withBusy(tab.id, async () => {
      const result = await this.core.api.stopSession({ sessionId });
      if (!result.ok) this.core.banners.reportCallError(tab.id, 'Could not stop the trace', result.error);
    });
  }

  async togglePause(tabId = this.activeTabId()): Promise<void> {
    const { api, banners } = this.core;
    const tab = this.core.findTab(tabId);
    if (!tab?.sessionId || !tab.summary) return;
    const sessionId = tab.sessionId;
    const paused = tab.summary.state === 'paused';
    if (!paused && tab.summary.state !== 'running') return;
    await this.withBusy(tab.id, async () => {
      const result = paused ? await api.resumeSession({ sessionId }) : await api.pauseSession({ sessionId });
      if (!result.ok)
        banners.reportCallError(tab.id, `Could not ${paused ? 'resume' : 'pause'} the trace`, result.error);
    });
  }

  /**
   * Applies the edited options to the running session: it starts a new
   * segment (earlier ones stay viewable), and the tab follows the new one.
   */
  async applyChanges(tabId = this.activeTabId()): Promise<boolean> {
    const { api, traces, ui, banners, storage } = this.core;
    const tab = this.core.findTab(tabId);
    if (!tab?.sessionId || !isActive(tab)) return false;
    const checks = await this.checksFor(tab.id);
    const validation = checks?.validateDraft(this.core.draftFor(tab));
    if (!checks || !validation?.ok) return false;
    const sessionId = tab.sessionId;
    const options = validation.options;
    const applied = await this.withBusy(tab.id, async () => {
      // The engine resolves a new target before it stops anything: on failure the trace runs on as it was.
      const result = await api.updateSession({ sessionId, options });
      if (!result.ok) {
        const userError = result.error.userError;
        if (userError?.code === 'resolve-failed') {
          patchTabUi(ui, tab.id, {
            remoteIssue: { field: 'target', message: `${userError.title}: ${userError.detail}` },
          });
        } else banners.reportCallError(tab.id, 'Could not apply the new options', result.error);
        return false;
      }
      traces.getState().renameTab(tab.id, options.target);
      traces.getState().viewSegment(tab.id, null);
      // The draft stays until the session's next state event carries the new options.
      ui.setState({ targetHistory: checks.rememberTarget(options.target, storage) });
      return true;
    });
    return applied ?? false;
  }

  /** The form's primary action: start, or apply edits to a running trace. */
  async submit(tabId = this.activeTabId()): Promise<void> {
    const tab = this.core.findTab(tabId);
    if (!tab) return;
    if (isActive(tab)) {
      const checks = await this.checksFor(tab.id);
      if (checks && this.core.isDirty(tab, checks)) await this.applyChanges(tab.id);
    } else {
      await this.start(tab.id);
    }
  }

  /** Ctrl+Enter and the menu: stop what runs, otherwise start. */
  async startStop(): Promise<void> {
    const tab = this.core.activeTab();
    if (!tab) return;
    if (isActive(tab)) {
      await this.stop(tab.id);
      return;
    }
    // Through the form when it is shown, so an invalid field is pointed out as on a click.
    const submitForm = this.core.formSubmitOf(tab.id);
    if (submitForm !== undefined) submitForm();
    else await this.start(tab.id);
  }
}
