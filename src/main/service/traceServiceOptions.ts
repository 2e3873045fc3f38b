/**
 * What a TraceService is built with: where files come from and go (dialogs),
 * where the last options live, and the engine's, history's and owners' settings.
 */
import type { MtrPacketClientOptions } from '../mtr/client';
import type { HelperSupervisorOptions } from '../probing/helperSupervisor';
import type { ProbeSchedulerOptions } from '../probing/probeScheduler';
import type { ReverseLookup } from '../net/reverseDns';
import type { ForwardLookup } from '../net/resolveTarget';
import type { EnricherOptions } from '../enrich/enricher';
import type { EnrichmentKind } from '@shared/enrichment';
import type { TraceOptions } from '@shared/traceOptions';
import type { ProbeEngineOptions } from './probeEngine';
import type { SessionHistoryOptions } from './sessionHistory';
import type { WorkerEntry } from './traceFileImport';
import type { EnrichmentSettingsStore } from './sessionOwners';

/** What a save dialog saves: a trace (JSON), an image, or a session file (DuckDB). */
export type SaveKind = 'json' | 'png' | 'duckdb';

/** Where files go and come from: a native dialog in Electron, nothing in the harness (the browser saves). */
export interface FileDialogs {
  chooseSavePath(suggestedName: string, kind: SaveKind): Promise<string | null>;
  chooseOpenPath(): Promise<string | null>;
  /** An AS CSV or country mmdb for the owner settings. */
  chooseDatabasePath?(kind: EnrichmentKind): Promise<string | null>;
}

/** Where the last-used trace options live: the app's preferences file, or memory. */
export interface LastTraceOptionsStore {
  get(): TraceOptions | null;
  set(options: TraceOptions): void;
}

export interface TraceServiceOptions {
  /** Explicit mtr-packet path (the app's preference, `--mtr-packet`); otherwise MTR_PACKET, then PATH. */
  mtrPacketPath?: string;
  dialogs?: FileDialogs;
  lastTraceOptions?: LastTraceOptionsStore;
  /**
   * Name lookups; the system resolver by default. Tests confine these to
   * their network namespace so no query leaves the machine.
   */
  resolvers?: { forward?: ForwardLookup; reverse?: ReverseLookup };
  /** Most sessions that may exist at once. */
  maxSessions?: number;
  /** Where large trace files are parsed off the main thread (Electron); without it they are parsed in place. */
  traceFileWorker?: WorkerEntry;
  /** How long sessions of a closed connection wait for a page to attach them before they are closed. */
  orphanGraceMs?: number;
  /** Bytes per answer when Export session reads an agent's session file (default and most: 4 MiB). */
  agentSessionFileChunkBytes?: number;
  /** For tests: how the mtr-packet client is made. */
  clientOptions?: MtrPacketClientOptions;
  /** For tests: how fast mtr-packet is restarted and when the supervisor gives up. */
  supervisorOptions?: Omit<HelperSupervisorOptions, 'client'>;
  /** Probe slots: in flight overall and per session. */
  schedulerOptions?: ProbeSchedulerOptions;
  /** The route pre-check's kernel question (checkRoute by default); tests ask inside their namespace. */
  routeLookup?: ProbeEngineOptions['routeLookup'];
  /**
   * Who owns each responder (AS, country): which databases to use (`{}`: the
   * shipped data only). Absent or false: no owners are looked up.
   */
  enrichment?: EnricherOptions | false;
  /** Where changed database paths are remembered (the app's preferences); by default in memory. */
  enrichmentSettings?: EnrichmentSettingsStore;
  /** Record every session in this history file (none: nothing is written to disk). */
  history?: SessionHistoryOptions;
}
