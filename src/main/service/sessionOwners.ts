/**
 * Who owns each responder, for the service's sessions: one Enricher, an
 * OwnerAnnouncer per live session, and the user's database settings. When
 * the settings change, the new files are loaded first; only if they load is
 * the switch made, remembered, and every open session told its owners again.
 * A bad file changes nothing, so tracing goes on with the previous data.
 */
import { Enricher, type EnricherOptions } from '../enrich/enricher';
import { OwnerAnnouncer } from './ownerAnnouncer';
import { withOwners } from '@shared/traceDocument';
import type { EnrichmentStatus } from '@shared/enrichment';
import type { EnrichmentSettings, EnrichmentSettingsResult } from '@shared/enrichmentSettings';
import type { SessionEventBatch } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';

/** Where the user's database paths are remembered: the app's preferences file, or memory. */
export interface EnrichmentSettingsStore {
  get(): EnrichmentSettings;
  set(settings: EnrichmentSettings): void;
}

/** Settings kept in memory, starting from the databases the process was started with. */
export function memorySettingsStore(options: EnricherOptions | false | undefined): EnrichmentSettingsStore {
  let current: EnrichmentSettings = {
    asnDbPath: options ? (options.asnDb ?? null) : null,
    geoDbPath: options ? (options.geoDb ?? null) : null,
  };
  return { get: () => current, set: (settings) => (current = settings) };
}

const OFF: EnrichmentStatus = { state: 'idle', sources: [], problems: [] };

export class SessionOwners {
  private readonly enricher: Enricher | null;
  private readonly announcers = new Map<string, OwnerAnnouncer>();

  /** `options` false or absent: no owners are looked up and settings cannot change that. */
  constructor(
    options: EnricherOptions | false | undefined,
    private readonly settings: EnrichmentSettingsStore,
  ) {
    this.enricher = options ? new Enricher(options) : null;
  }

  /** Where a new session's batches go: through its announcer when owners are looked up. */
  streamFor(sessionId: string, emit: (batch: SessionEventBatch) => void): (batch: SessionEventBatch) => void {
    if (!this.enricher) return emit;
    const announcer = new OwnerAnnouncer(sessionId, this.enricher, emit);
    this.announcers.set(sessionId, announcer);
    return (batch) => announcer.pass(batch);
  }

  forget(sessionId: string): void {
    this.announcers.get(sessionId)?.close();
    this.announcers.delete(sessionId);
  }

  closeAll(): void {
    for (const announcer of this.announcers.values()) announcer.close();
    this.announcers.clear();
  }

  /** Asking starts the load, so the answer moves from loading to ready without a trace. */
  status(): EnrichmentStatus {
    if (!this.enricher) return OFF;
    void this.enricher.load();
    return this.enricher.status();
  }

  /** A document with the owners of its responders, as the data says now. */
  document(document: TraceDocument): TraceDocument {
    const enricher = this.enricher;
    return enricher ? withOwners(document, (a) => enricher.lookup(a), enricher.status().sources) : document;
  }

  currentSettings(): EnrichmentSettings {
    return this.settings.get();
  }

  async apply(settings: EnrichmentSettings): Promise<EnrichmentSettingsResult> {
    if (!this.enricher) {
      return { applied: false, settings: this.settings.get(), problems: ['owner lookups are off in this process'] };
    }
    const result = await this.enricher.useUserDatabases({
      asnDb: settings.asnDbPath ?? undefined,
      geoDb: settings.geoDbPath ?? undefined,
    });
    if (!result.ok) return { applied: false, settings: this.settings.get(), problems: result.problems };
    this.settings.set(settings);
    for (const announcer of this.announcers.values()) announcer.reannounce();
    return { applied: true, settings, status: result.status };
  }
}
