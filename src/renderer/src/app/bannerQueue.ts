/**
 * The banners above the trace: errors (kept until dismissed or replaced),
 * short notes that go away by themselves, and the translation of a failed
 * engine call into either a field error on the form or a banner.
 */
import type { IpcError } from '@shared/ipc';
import type { UserFacingError } from '@shared/session';
import { defaultDraft, type FieldIssue } from '../options/formModel';
import { patchTabUi, type Banner, type BannerTone, type UiStore } from './uiState';

const TOAST_MS = 4000;
/** Banners shown at once; older ones give way. */
const MAX_BANNERS = 5;

export class BannerQueue {
  private nextId = 1;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly ui: UiStore) {}

  showError(error: Pick<UserFacingError, 'title' | 'detail' | 'fix'>, tabId: string | null): void {
    this.add({ tone: 'error', title: error.title, detail: error.detail, fix: error.fix, tabId });
  }

  /** A short note that goes away by itself. */
  showInfo(title: string, tone: BannerTone = 'info', detail?: string): void {
    const id = this.add({ tone, title, detail, tabId: null });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.dismiss(id);
    }, TOAST_MS);
    this.timers.add(timer);
  }

  dismiss(id: number): void {
    this.ui.setState((s) => ({ banners: s.banners.filter((b) => b.id !== id) }));
  }

  clearTab(tabId: string): void {
    this.ui.setState((s) => ({ banners: s.banners.filter((b) => b.tabId !== tabId) }));
  }

  /** A refused field goes to the form; anything else becomes a banner. */
  reportCallError(tabId: string | null, title: string, error: IpcError): void {
    if (error.code === 'invalid-request' && error.field && tabId !== null) {
      const field = error.field.replace(/^options\./, '').split('.')[0] ?? '';
      const message = error.message.replace(/^[\w.]+: /, '');
      if (field in defaultDraft()) {
        patchTabUi(this.ui, tabId, { remoteIssue: { field: field as FieldIssue['field'], message } });
        return;
      }
    }
    if (error.userError) this.showError(error.userError, tabId);
    else this.showError({ title, detail: error.message }, tabId);
  }

  /** Stops the pending dismissals (the app is going away). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private add(banner: Omit<Banner, 'id'>): number {
    const id = this.nextId++;
    // The same message twice is one banner.
    this.ui.setState((s) => ({
      banners: [
        ...s.banners.filter(
          (b) => !(b.title === banner.title && b.detail === banner.detail && b.tabId === banner.tabId),
        ),
        { ...banner, id },
      ].slice(-MAX_BANNERS),
    }));
    return id;
  }
}
