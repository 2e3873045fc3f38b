/**
 * What the command modules (sessions, files) need from the controller: the
 * api, the two stores, the banners, and the tab-level lookups. The
 * controller implements it; the modules depend on nothing else.
 */
import type { HopscopeApi } from '@shared/ipc';
import type { TraceTab } from '../store/reducers';
import type { TraceStore } from '../store/traceStore';
import type { OptionsDraft } from '../options/formModel';
import type { FormChecks } from '../options/lazyFormChecks';
import type { BannerQueue } from './bannerQueue';
import type { UiStore } from './uiState';

export interface ShellCore {
  readonly api: HopscopeApi;
  readonly traces: TraceStore;
  readonly ui: UiStore;
  readonly banners: BannerQueue;
  /** Where the target history lives. */
  readonly storage: Storage | null | undefined;
  findTab(tabId: string | null): TraceTab | undefined;
  activeTab(): TraceTab | null;
  /** The form's current draft for the tab. */
  draftFor(tab: TraceTab): OptionsDraft;
  /** The options changed on a running trace: Apply would restart it. */
  isDirty(tab: TraceTab, checks: FormChecks): boolean;
  newTab(draft?: OptionsDraft): string;
  /** The graph's <svg> the tab registered, for the PNG export. */
  graphOf(tabId: string): SVGSVGElement | undefined;
  /** Submits the tab's form as a click on Start would, when the form is shown. */
  formSubmitOf(tabId: string): (() => void) | undefined;
  /** Applies the batches that arrived before the session's tab knew its id. */
  replayPending(sessionId: string): void;
}
