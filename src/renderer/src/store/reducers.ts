/**
 * Pure state transitions of the trace tabs. The store only wires these to
 * zustand, so every rule about how live events change a tab is testable
 * here without React or IPC.
 *
 * Cost model: a batch touches only what it names. Per-TTL sample arrays are
 * replaced (merged by round and capped) only for TTLs that got samples; the hop
 * record is shallow-copied once per batch (≤255 references), never deep.
 */
import type { HopStatsUpdate, SessionEvent, SessionEventBatch, SessionSummary, UserFacingError } from '@shared/session';
import type { Sample, TraceDocument } from '@shared/traceFile';
import { MAX_SEGMENTS } from '@shared/traceFormat';

export { earlierSegmentHops, loadDocument, tabHops, toTraceDocument, type FileTabInit } from './tabDocument';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import type { ResponderEnrichment } from '@shared/enrichment';
import { hostnamePatch, ownerPatch, withHostPatch, withKnownHostFacts, type HostPatch } from './hostFacts';
import { appendCapped } from './sampleList';

/** Route changes remembered per tab. */
export const PATH_CHANGE_CAP = 200;

export type TabMode = 'live' | 'file';

export interface PathChange {
  ttl: number;
  address: string;
  /** Batch it arrived in. */
  seq: number;
  /** Rounds completed at the time, when known. */
  round: number | null;
}

/** What a tab holds of one closed segment: frozen when the next one began. */
export interface SegmentData {
  hops: Readonly<Record<number, HopStatsUpdate>>;
  samples: Readonly<Record<number, readonly Sample[]>>;
  destinationTtl: number | null;
}

export interface TraceTab {
  id: string;
  title: string;
  mode: TabMode;
  sessionId: string | null;
  summary: SessionSummary | null;
  /** Latest statistics per TTL, of the current segment. */
  hops: Readonly<Record<number, HopStatsUpdate>>;
  /** Recent samples per TTL, oldest first, at most `sampleCap` each. */
  samples: Readonly<Record<number, readonly Sample[]>>;
  sampleCap: number;
  selectedTtl: number | null;
  destinationTtl: number | null;
  error: UserFacingError | null;
  /** Reverse DNS answers by address (null: looked up, no name). */
  hostnames: Readonly<Record<string, string | null>>;
  /** Who owns each responder, by address, as the engine announced (absent: none announced yet). */
  owners?: Readonly<Record<string, ResponderEnrichment>>;
  /** Newest last, at most PATH_CHANGE_CAP. */
  pathChanges: readonly PathChange[];
  /** Last applied batch seq; batches at or below it are duplicates and ignored. */
  lastSeq: number | null;
  /** Batches skipped in the seq numbering: samples from them are missing. */
  missedBatches: number;
  /** The opened file, for a read-only tab. */
  readOnlyDoc?: TraceDocument;
  /** Index of the segment `hops`, `samples` and `destinationTtl` belong to: the session's (or file's) current one. */
  segment: number;
  /** Earlier segments by index (at most MAX_SEGMENTS - 1), never added to. */
  earlierSegments: Readonly<Record<number, SegmentData>>;
  /** The segment the person chose to look at; null follows the current one. */
  viewedSegment: number | null;
  /**
   * Set only on the view of an earlier segment (`shownTab`): the index whose
   * data `hops`, `samples` and `destinationTtl` then hold.
   */
  showing?: number;
}

export interface TabsState {
  tabs: readonly TraceTab[];
  activeTabId: string | null;
}

export interface LiveTabInit {
  id: string;
  title?: string;
  summary?: SessionSummary | null;
  sampleCap?: number;
}

export function createLiveTab({
  id,
  title,
  summary = null,
  // Samples kept per TTL in a live tab: ten minutes at the default 1 s interval.
  sampleCap = DEFAULT_SAMPLES_PER_HOP,
}: LiveTabInit): TraceTab {
  return {
    id,
    title: title ?? summary?.options.target ?? 'New trace',
    mode: 'live',
    sessionId: summary?.id ?? null,
    summary,
    hops: {},
    samples: {},
    sampleCap,
    selectedTtl: null,
    destinationTtl: summary?.destinationTtl ?? null,
    error: summary?.error ?? null,
    hostnames: {},
    pathChanges: [],
    lastSeq: null,
    missedBatches: 0,
    segment: summary?.segment ?? 0,
    earlierSegments: {},
    viewedSegment: null,
  };
}

/** Points a tab at a new session: history of the previous one is dropped. */
export function attachSession(tab: TraceTab, summary: SessionSummary): TraceTab {
  return {
    ...createLiveTab({ id: tab.id, title: summary.options.target, summary, sampleCap: tab.sampleCap }),
    selectedTtl: tab.selectedTtl,
  };
}

/** Mutable copy-on-write view of a tab for the duration of one batch. */
class TabDraft {
  hops: Record<number, HopStatsUpdate> | null = null;
  samples: Record<number, readonly Sample[]> | null = null;
  hostnames: Record<string, string | null> | null = null;
  owners: Record<string, ResponderEnrichment> | null = null;
  changes: Partial<TraceTab> = {};

  constructor(readonly base: TraceTab) {}

  get currentHostnames(): Readonly<Record<string, string | null>> {
    return this.hostnames ?? this.base.hostnames;
  }

  get currentOwners(): Readonly<Record<string, ResponderEnrichment>> {
    return this.owners ?? this.base.owners ?? {};
  }

  get currentHops(): Readonly<Record<number, HopStatsUpdate>> {
    return this.hops ?? this.base.hops;
  }

  writableHops(): Record<number, HopStatsUpdate> {
    this.hops ??= { ...this.base.hops };
    return this.hops;
  }

  writableSamples(): Record<number, readonly Sample[]> {
    this.samples ??= { ...this.base.samples };
    return this.samples;
  }

  writableHostnames(): Record<string, string | null> {
    this.hostnames ??= { ...this.base.hostnames };
    return this.hostnames;
  }

  get currentSegment(): number {
    return this.changes.segment ?? this.base.segment;
  }

  /**
   * The session moved on to segment `index`: what the tab holds becomes an
   * earlier segment, unchanged from now on, and the new one starts empty.
   */
  private enterSegment(index: number): void {
    const earlier = { ...(this.changes.earlierSegments ?? this.base.earlierSegments) };
    earlier[this.currentSegment] = {
      hops: this.currentHops,
      samples: this.samples ?? this.base.samples,
      destinationTtl:
        this.changes.destinationTtl !== undefined ? this.changes.destinationTtl : this.base.destinationTtl,
    };
    const kept = Object.keys(earlier)
      .map(Number)
      .sort((a, b) => a - b);
    for (const old of kept.slice(0, Math.max(0, kept.length - (MAX_SEGMENTS - 1)))) delete earlier[old];
    this.changes.earlierSegments = earlier;
    this.changes.segment = index;
    this.changes.destinationTtl = null;
    this.hops = {};
    this.samples = {};
  }

  apply(event: SessionEvent, seq: number): void {
    switch (event.type) {
      case 'state': {
        const previous = this.changes.summary ?? this.base.summary;
        if ((event.summary.segment ?? 0) > this.currentSegment) this.enterSegment(event.summary.segment ?? 0);
        this.changes.summary = event.summary;
        if (event.summary.destinationTtl !== null) this.changes.destinationTtl = event.summary.destinationTtl;
        if (event.summary.error !== undefined) this.changes.error = event.summary.error;
        // A failed session that runs again has recovered; keep errors otherwise until replaced.
        else if (previous?.state === 'failed' && event.summary.state !== 'failed') this.changes.error = null;
        break;
      }
      case 'hops': {
        const segment = event.segment ?? this.currentSegment;
        // A late batch of a closed segment is never added to the current one.
        if (segment < this.currentSegment) break;
        if (segment > this.currentSegment) this.enterSegment(segment);
        for (const ttl of event.dropped ?? []) this.dropHop(ttl);
        for (const update of event.hops) this.updateHop(update);
        for (const { ttl, samples } of event.samples) {
          if (samples.length === 0) continue;
          const all = this.writableSamples();
          all[ttl] = appendCapped(all[ttl], samples, this.base.sampleCap);
        }
        break;
      }
      case 'path-changed': {
        const log = this.changes.pathChanges ?? this.base.pathChanges;
        const round = (this.changes.summary ?? this.base.summary)?.rounds ?? null;
        const entry: PathChange = { ttl: event.ttl, address: event.address, seq, round };
        this.changes.pathChanges = [...log.slice(Math.max(0, log.length - PATH_CHANGE_CAP + 1)), entry];
        break;
      }
      case 'destination-reached':
        this.changes.destinationTtl = event.ttl;
        break;
      case 'hostname':
        this.setHostname(event.address, event.hostname);
        break;
      case 'owner':
        (this.owners ??= { ...this.base.owners })[event.address] = event.owner;
        this.patchHosts(ownerPatch(event.address, event.owner));
        break;
      case 'error':
        this.changes.error = event.error;
        break;
    }
  }

  /** The engine forgot this TTL (overshoot, never on the path): so does the tab. */
  private dropHop(ttl: number): void {
    if (ttl in this.currentHops) delete this.writableHops()[ttl];
    if (ttl in (this.samples ?? this.base.samples)) delete this.writableSamples()[ttl];
  }

  private updateHop(update: HopStatsUpdate): void {
    // Remember names and owners already filled in (a re-attached session's snapshot), so later updates keep them.
    for (const host of update.hosts) {
      if (host.hostname !== null && this.currentHostnames[host.address] !== host.hostname) {
        this.writableHostnames()[host.address] = host.hostname;
      }
      if (host.owner !== undefined && this.currentOwners[host.address] !== host.owner) {
        (this.owners ??= { ...this.base.owners })[host.address] = host.owner;
      }
    }
    const known = { hostnames: this.currentHostnames, owners: this.currentOwners };
    this.writableHops()[update.ttl] = withKnownHostFacts(update, known);
  }

  private setHostname(address: string, hostname: string | null): void {
    if (this.currentHostnames[address] !== hostname || !(address in this.currentHostnames)) {
      this.writableHostnames()[address] = hostname;
    }
    this.patchHosts(hostnamePatch(address, hostname));
  }

  /** Rare (once per address), so a scan of all hops is fine. */
  private patchHosts(patch: HostPatch): void {
    const patched = withHostPatch(this.currentHops, patch);
    if (patched !== this.currentHops) this.hops = patched;
    // Earlier segments are frozen in their statistics, not in the names and owners of their responders.
    const earlier = this.changes.earlierSegments ?? this.base.earlierSegments;
    let changed: Record<number, SegmentData> | null = null;
    for (const [index, data] of Object.entries(earlier)) {
      const hops = withHostPatch(data.hops, patch);
      if (hops !== data.hops) (changed ??= { ...earlier })[Number(index)] = { ...data, hops };
    }
    if (changed !== null) this.changes.earlierSegments = changed;
  }

  finish(extra: Partial<TraceTab>): TraceTab {
    return {
      ...this.base,
      ...this.changes,
      ...(this.hops && { hops: this.hops }),
      ...(this.samples && { samples: this.samples }),
      ...(this.hostnames && { hostnames: this.hostnames }),
      ...(this.owners && { owners: this.owners }),
      ...extra,
    };
  }
}

/**
 * Applies one batch of session events to the tab showing that session.
 * Batches for another session, or already applied (seq not increasing),
 * return the tab unchanged.
 */
export function applyEventBatch(tab: TraceTab, batch: SessionEventBatch): TraceTab {
  if (tab.sessionId !== batch.sessionId) return tab;
  if (tab.lastSeq !== null && batch.seq <= tab.lastSeq) return tab;
  const gap = tab.lastSeq === null ? 0 : batch.seq - tab.lastSeq - 1;
  const draft = new TabDraft(tab);
  for (const event of batch.events) draft.apply(event, batch.seq);
  return draft.finish({ lastSeq: batch.seq, missedBatches: tab.missedBatches + gap });
}

// ---- Tab list -------------------------------------------------------------

export function openTab(state: TabsState, tab: TraceTab): TabsState {
  return { tabs: [...state.tabs.filter((t) => t.id !== tab.id), tab], activeTabId: tab.id };
}

/** Closes a tab; when it was active, its right neighbour (or else left) becomes active, as in browsers. */
export function closeTab(state: TabsState, tabId: string): TabsState {
  const index = state.tabs.findIndex((t) => t.id === tabId);
  if (index < 0) return state;
  const tabs = state.tabs.filter((t) => t.id !== tabId);
  const activeTabId =
    state.activeTabId !== tabId ? state.activeTabId : (tabs[index]?.id ?? tabs[index - 1]?.id ?? null);
  return { tabs, activeTabId };
}

export function selectTab(state: TabsState, tabId: string): TabsState {
  if (state.activeTabId === tabId || !state.tabs.some((t) => t.id === tabId)) return state;
  return { ...state, activeTabId: tabId };
}

export function selectTtl(tab: TraceTab, ttl: number | null): TraceTab {
  return tab.selectedTtl === ttl ? tab : { ...tab, selectedTtl: ttl };
}

/** Replaces one tab by `update(tab)`; the same state object when nothing changed. */
export function updateTab(state: TabsState, tabId: string, update: (tab: TraceTab) => TraceTab): TabsState {
  const index = state.tabs.findIndex((t) => t.id === tabId);
  const current = state.tabs[index];
  if (current === undefined) return state;
  const next = update(current);
  if (next === current) return state;
  const tabs = [...state.tabs];
  tabs[index] = next;
  return { ...state, tabs };
}

/** Routes a batch to the tab showing its session. */
export function applyBatchToTabs(state: TabsState, batch: SessionEventBatch): TabsState {
  const tab = state.tabs.find((t) => t.sessionId === batch.sessionId);
  return tab === undefined ? state : updateTab(state, tab.id, (t) => applyEventBatch(t, batch));
}
