/**
 * The About box and the owner-data settings, without React: which dialog is
 * open, what the engine says about its AS and country data, and the calls
 * that change the user's databases. The engine reads and checks the files;
 * this only trims what was typed and shows what came back.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EnrichmentKind, EnrichmentStatus } from '@shared/enrichment';
import type { EnrichmentSettings } from '@shared/enrichmentSettings';
import type { HopscopeApi } from '@shared/ipc';

export type ShellDialog = 'about' | 'enrichment-settings';

/** The settings form as typed: one text per file, empty for none. */
export interface DatabaseDraft {
  asnDbPath: string;
  geoDbPath: string;
}

export interface OwnerDataState {
  dialog: ShellDialog | null;
  status: EnrichmentStatus | null;
  /** The settings the engine uses (null until asked). */
  settings: EnrichmentSettings | null;
  applying: boolean;
  /** Why the last change was refused (file, line, reason), one sentence each. */
  problems: readonly string[];
  /** The last change was applied (until the form changes or the dialog closes). */
  applied: boolean;
}

/** While the data loads, the status is asked again this often, at most this many times. */
const STATUS_POLL_MS = 1000;
const STATUS_POLLS = 120;

export function draftOf(settings: EnrichmentSettings | null): DatabaseDraft {
  return { asnDbPath: settings?.asnDbPath ?? '', geoDbPath: settings?.geoDbPath ?? '' };
}

/** Typed text to settings: trimmed, empty meaning none. The engine checks the paths. */
export function settingsOf(draft: DatabaseDraft): EnrichmentSettings {
  const path = (text: string) => (text.trim() === '' ? null : text.trim());
  return { asnDbPath: path(draft.asnDbPath), geoDbPath: path(draft.geoDbPath) };
}

export class OwnerDataCommands {
  readonly store: StoreApi<OwnerDataState> = createStore<OwnerDataState>()(() => ({
    dialog: null,
    status: null,
    settings: null,
    applying: false,
    problems: [],
    applied: false,
  }));
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polls = 0;

  constructor(private readonly api: HopscopeApi) {}

  open(dialog: ShellDialog): void {
    this.store.setState({ dialog, problems: [], applied: false });
    void this.refreshStatus();
    if (dialog === 'enrichment-settings') void this.loadSettings();
  }

  close(): void {
    this.store.setState({ dialog: null, problems: [], applied: false });
  }

  /** Asks which data is in use; while it loads, asks again until it is ready. */
  async refreshStatus(): Promise<void> {
    const result = await this.api.getEnrichmentStatus();
    if (!result.ok) return;
    this.store.setState({ status: result.value });
    clearTimeout(this.pollTimer);
    if (result.value.state === 'loading' && this.polls++ < STATUS_POLLS) {
      this.pollTimer = setTimeout(() => void this.refreshStatus(), STATUS_POLL_MS);
    }
  }

  async loadSettings(): Promise<void> {
    const result = await this.api.getEnrichmentSettings();
    if (result.ok) this.store.setState({ settings: result.value });
  }

  /** A file from the engine's own dialog (Electron); null when cancelled or there is none. */
  async choose(kind: EnrichmentKind): Promise<string | null> {
    const result = await this.api.chooseDatabaseFile({ kind });
    if (result.ok) return result.value;
    this.store.setState({ problems: [result.error.message], applied: false });
    return null;
  }

  /** Sends the draft; the engine keeps its previous data when a file cannot be used. */
  async apply(draft: DatabaseDraft): Promise<void> {
    this.store.setState({ applying: true, problems: [], applied: false });
    const result = await this.api.setEnrichmentSettings(settingsOf(draft));
    if (!result.ok) {
      this.store.setState({ applying: false, problems: [result.error.message] });
      return;
    }
    const outcome = result.value;
    if (!outcome.applied) {
      this.store.setState({ applying: false, problems: outcome.problems, settings: outcome.settings });
      return;
    }
    this.polls = 0;
    this.store.setState({ applying: false, applied: true, settings: outcome.settings, status: outcome.status });
  }

  /** The form changed: an old verdict no longer describes it. */
  editing(): void {
    if (this.store.getState().applied || this.store.getState().problems.length > 0) {
      this.store.setState({ applied: false, problems: [] });
    }
  }

  dispose(): void {
    clearTimeout(this.pollTimer);
  }
}
