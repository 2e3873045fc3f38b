/**
 * The IPC contract between the engine (Electron main or the browser harness)
 * and the renderer. One map of invoke channels (request schema → response
 * type) and one map of event channels. The main handlers, the preload
 * bridge, the harness server and client and the renderer are all typed from
 * these maps; channel names exist only here.
 */
import { z } from 'zod';
import { z as zMini } from './zodMini';
import { field, targetSchema, type Feature, type IpVersion } from './probe';
import { traceOptionFields, traceOptionsSchema, withOptionRules, type TraceOptions } from './traceOptions';
import { traceDocumentSchema, type TraceDocument } from './traceFile';
import type { SessionEventBatch, SessionSummary, UserFacingError } from './session';
import type { AddressClass } from './addressClass';
import type { EnrichmentStatus } from './enrichment';
import {
  databaseFileRequestSchema,
  enrichmentSettingsSchema,
  type EnrichmentSettings,
  type EnrichmentSettingsResult,
} from './enrichmentSettings';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from './channels';
import { MAX_PNG_BASE64_CHARS, MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE } from './limits';
import { describeSchemaProblem, firstSchemaProblem } from './schemaProblem';
import {
  storedSessionId,
  storedSessionRequest,
  storedWindowRequest,
  openStoredRequest,
  exportStoredRequest,
  timelineMarkersRequest,
  timelineRequest,
  type StoredSessionInfo,
  type StoredSessionList,
  type TimelineMarkerList,
  type TimelineBucketInfo,
  type WindowStatsInfo,
} from './storedSessions';
import { closeSessionFileRequest, exportSessionFileRequest, openDroppedSessionFileRequest } from './sessionFiles';
import { agentIdRequest, connectAgentRequest, type RemoteAgentInfo } from './remoteAgent';

const sessionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/, { error: 'session id has invalid characters' });
const bySession = z.object({ sessionId }).strict();

/**
 * A new session's options, and optionally the stored session it continues
 * ("trace this target again" on an opened stored session): the history then
 * records it into that session as a new segment instead of a new session.
 */
export const startSessionRequest = withOptionRules(
  zMini.extend(traceOptionFields, { continueStoredId: zMini.optional(storedSessionId) }),
);
export type StartSessionRequest = z.input<typeof startSessionRequest>;
const none = z.undefined({ error: 'this call takes no arguments' });

export interface MtrPacketStatus {
  available: boolean;
  path: string | null;
  version: string | null;
  features: Partial<Record<Feature, boolean>>;
  error?: UserFacingError;
}

export interface LocalAddress {
  interface: string;
  address: string;
  ipVersion: IpVersion;
  internal: boolean;
  addressClass: AddressClass;
}

export interface ResolvedAddresses {
  target: string;
  v4: string[];
  v6: string[];
}

export type ImportResult =
  | {
      ok: true;
      document: TraceDocument;
      sourceFormat: string;
      fileName: string;
      /** An opened session file: its stored session (timeline and focus window read the file under `stored.id`). */
      stored?: StoredSessionInfo;
    }
  | { ok: false; error: string; fileName: string };

export type SaveResult = { saved: true; path: string } | { saved: false; reason: 'cancelled' };

export const invokeContract = {
  startSession: { channel: INVOKE_CHANNELS.startSession, request: startSessionRequest },
  stopSession: { channel: INVOKE_CHANNELS.stopSession, request: bySession },
  pauseSession: { channel: INVOKE_CHANNELS.pauseSession, request: bySession },
  resumeSession: { channel: INVOKE_CHANNELS.resumeSession, request: bySession },
  /** Restart a session with new options, keeping its history. */
  updateSession: {
    channel: INVOKE_CHANNELS.updateSession,
    request: z.object({ sessionId, options: traceOptionsSchema }).strict(),
  },
  /** Forget a finished session and its data. */
  closeSession: { channel: INVOKE_CHANNELS.closeSession, request: bySession },
  listSessions: { channel: INVOKE_CHANNELS.listSessions, request: none },
  /**
   * Take a running session over for this page (one left behind by a page that
   * closed or reloaded, found with listSessions). Sessions whose page is gone
   * and that nobody attaches are stopped and closed after a grace period.
   */
  attachSession: { channel: INVOKE_CHANNELS.attachSession, request: bySession },
  /** The full document of a session, samples included, for export. */
  getSessionDocument: { channel: INVOKE_CHANNELS.getSessionDocument, request: bySession },
  checkMtrPacket: { channel: INVOKE_CHANNELS.checkMtrPacket, request: none },
  listLocalAddresses: { channel: INVOKE_CHANNELS.listLocalAddresses, request: none },
  resolveTarget: {
    channel: INVOKE_CHANNELS.resolveTarget,
    request: z.object({ target: targetSchema, ipVersion: z.optional(field.ipVersion) }).strict(),
  },
  /** Validate and convert trace file text (hopscope, mtr --json, Trippy JSON). */
  importTraceText: {
    channel: INVOKE_CHANNELS.importTraceText,
    request: z
      .object({
        fileName: z.string().max(1024),
        text: z.string().max(MAX_TRACE_FILE_CHARS, { error: TRACE_FILE_TOO_LARGE }),
      })
      .strict(),
  },
  /** Ask the user for a file to open and import it. */
  openTraceFile: { channel: INVOKE_CHANNELS.openTraceFile, request: none },
  /** Save a trace document; the path always comes from a save dialog owned by the engine side. */
  saveTraceJson: {
    channel: INVOKE_CHANNELS.saveTraceJson,
    request: z.object({ suggestedName: z.string().max(200), document: traceDocumentSchema }).strict(),
  },
  savePng: {
    channel: INVOKE_CHANNELS.savePng,
    request: z
      .object({
        suggestedName: z.string().max(200),
        pngBase64: z
          .string()
          .max(MAX_PNG_BASE64_CHARS)
          .regex(/^[A-Za-z0-9+/]+=*$/, { error: 'not base64' }),
      })
      .strict(),
  },
  /** The options of the last trace started, to prefill the form (persisted by the app). */
  getLastTraceOptions: { channel: INVOKE_CHANNELS.getLastTraceOptions, request: none },
  /** The renderer has subscribed: queued events may flow. */
  rendererReady: { channel: INVOKE_CHANNELS.rendererReady, request: none },
  /** Which AS and country data the engine uses (state, data dates, problems), for the UI and About text. */
  getEnrichmentStatus: { channel: INVOKE_CHANNELS.getEnrichmentStatus, request: none },
  /** Your own AS and country databases (paths), as the engine uses them now. */
  getEnrichmentSettings: { channel: INVOKE_CHANNELS.getEnrichmentSettings, request: none },
  /** Use other databases at once (open sessions get their owners again), and remember them; bad files change nothing. */
  setEnrichmentSettings: { channel: INVOKE_CHANNELS.setEnrichmentSettings, request: enrichmentSettingsSchema },
  /** Ask for a database file with a dialog owned by the engine side (Electron); null when cancelled. */
  chooseDatabaseFile: { channel: INVOKE_CHANNELS.chooseDatabaseFile, request: databaseFileRequestSchema },
  // --- Session history (src/shared/storedSessions.ts) ---
  /** Sessions in the history file, and whether history is recording. */
  listStoredSessions: { channel: INVOKE_CHANNELS.listStoredSessions, request: none },
  /** Delete a stored session (not one still recording). */
  deleteStoredSession: { channel: INVOKE_CHANNELS.deleteStoredSession, request: storedSessionRequest },
  /**
   * A window of a stored session (default: all of it) as a document, every segment: every sample, or
   * with `samplesPerHop` (a tab) each hop's newest rounds only.
   */
  openStoredSession: { channel: INVOKE_CHANNELS.openStoredSession, request: openStoredRequest },
  /** Export JSON of a stored session or a window of it, built and written by main (save dialog). */
  exportStoredSession: { channel: INVOKE_CHANNELS.exportStoredSession, request: exportStoredRequest },
  /** One hop of a stored session in `buckets` equal slices of [from, to). */
  getTimeline: { channel: INVOKE_CHANNELS.getTimeline, request: timelineRequest },
  /** Per-hop statistics (with p50/p95/p99) of a window of a stored session. */
  getWindowStats: { channel: INVOKE_CHANNELS.getWindowStats, request: storedWindowRequest },
  // --- Agents' read-only views (src/shared/remoteAgent.ts) ---
  /** Connect to an agent's view (address + token); its sessions then arrive as read-only sessions. */
  connectAgent: { channel: INVOKE_CHANNELS.connectAgent, request: connectAgentRequest },
  /** Close a connection for good; its sessions stay as drawn, marked closed. */
  disconnectAgent: { channel: INVOKE_CHANNELS.disconnectAgent, request: agentIdRequest },
  /** The agent connections, their state and their sessions' ids. */
  listAgents: { channel: INVOKE_CHANNELS.listAgents, request: none },
  /** Restarts, segment changes, errors and path changes of a stored session in [from, to), capped. */
  getTimelineMarkers: { channel: INVOKE_CHANNELS.getTimelineMarkers, request: timelineMarkersRequest },
  // --- Session files (src/shared/sessionFiles.ts); Open (openTraceFile) opens them ---
  /** Export session: every sample of a stored session to a DuckDB file of its own, written by main (save dialog). */
  exportSessionFile: { channel: INVOKE_CHANNELS.exportSessionFile, request: exportSessionFileRequest },
  /** The tab of an opened session file closed: close the file. */
  closeSessionFile: { channel: INVOKE_CHANNELS.closeSessionFile, request: closeSessionFileRequest },
  /**
   * A session file dropped on an Electron window, opened read-only as Open opens one. Only the
   * preload calls it (with the dropped File's path): the page gets `openDroppedSessionFile(file)`.
   */
  openDroppedSessionFile: { channel: INVOKE_CHANNELS.openDroppedSessionFile, request: openDroppedSessionFileRequest },
} as const;

export type InvokeName = keyof typeof invokeContract;

/** What each invoke call returns when it succeeds. */
export interface InvokeResponses {
  startSession: SessionSummary;
  stopSession: SessionSummary;
  pauseSession: SessionSummary;
  resumeSession: SessionSummary;
  updateSession: SessionSummary;
  closeSession: null;
  listSessions: SessionSummary[];
  attachSession: SessionSummary;
  getSessionDocument: TraceDocument;
  checkMtrPacket: MtrPacketStatus;
  listLocalAddresses: LocalAddress[];
  resolveTarget: ResolvedAddresses;
  importTraceText: ImportResult;
  openTraceFile: ImportResult | null;
  saveTraceJson: SaveResult;
  savePng: SaveResult;
  getLastTraceOptions: TraceOptions | null;
  rendererReady: null;
  getEnrichmentStatus: EnrichmentStatus;
  getEnrichmentSettings: EnrichmentSettings;
  setEnrichmentSettings: EnrichmentSettingsResult;
  chooseDatabaseFile: string | null;
  // Session history
  listStoredSessions: StoredSessionList;
  deleteStoredSession: null;
  openStoredSession: TraceDocument;
  exportStoredSession: SaveResult;
  getTimeline: TimelineBucketInfo[];
  getWindowStats: WindowStatsInfo;
  connectAgent: RemoteAgentInfo;
  disconnectAgent: null;
  listAgents: RemoteAgentInfo[];
  getTimelineMarkers: TimelineMarkerList;
  exportSessionFile: SaveResult;
  closeSessionFile: null;
  openDroppedSessionFile: ImportResult;
}

export type InvokeRequest<K extends InvokeName> = z.input<(typeof invokeContract)[K]['request']>;
export type ValidInvokeRequest<K extends InvokeName> = z.output<(typeof invokeContract)[K]['request']>;

export const IPC_ERROR_CODES = ['invalid-request', 'not-found', 'failed', 'forbidden', 'too-large'] as const;

export interface IpcError {
  /**
   * `invalid-request`: the payload failed validation; `not-found`: unknown session; `failed`: the call
   * itself failed; `too-large`: the answer would be over a limit, and a shorter window may fit.
   */
  code: (typeof IPC_ERROR_CODES)[number];
  message: string;
  /** For invalid requests: the path of the first bad field. */
  field?: string;
  userError?: UserFacingError;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const eventContract = {
  sessionEvents: { channel: EVENT_CHANNELS.sessionEvents },
  /** Menu and shortcut commands raised on the engine side (Electron menu). */
  menuCommand: { channel: EVENT_CHANNELS.menuCommand },
} as const;

export type EventName = keyof typeof eventContract;

export const MENU_COMMANDS = [
  'new-tab',
  'open',
  'export-json',
  'export-session',
  'export-png',
  'start-stop',
  'copy-report',
  'about',
  'enrichment-settings',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface EventPayloads {
  sessionEvents: SessionEventBatch;
  menuCommand: MenuCommand;
}

/**
 * The API the renderer sees, whether it comes from the Electron preload
 * (`window.hopscope`) or the browser harness client. Derived from the maps
 * above, so adding a channel adds it everywhere or fails to compile.
 */
export type HopscopeApi = {
  readonly [K in Exclude<InvokeName, 'openDroppedSessionFile'>]: (
    ...args: InvokeRequest<K> extends undefined ? [] : [request: InvokeRequest<K>]
  ) => Promise<IpcResult<InvokeResponses[K]>>;
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) => () => void;
  /**
   * Opens a session file dropped on the window as Open does: Electron's preload sends main the
   * File's path, the browser harness uploads its bytes. A path never comes from the page.
   */
  readonly openDroppedSessionFile: (file: File) => Promise<IpcResult<ImportResult>>;
  /** Where the engine runs, for texts like "install mtr with …". */
  readonly platform: string;
  readonly transport: 'electron' | 'harness';
};

export const INVOKE_NAMES = Object.keys(invokeContract) as InvokeName[];

/** Validate a payload from the renderer against its channel's schema. Never throws. */
export function validateInvokeRequest<K extends InvokeName>(
  name: K,
  payload: unknown,
): { ok: true; value: ValidInvokeRequest<K> } | { ok: false; error: IpcError } {
  // Own keys only: a name like "toString" must not reach Object.prototype.
  const contract = isInvokeName(name) ? invokeContract[name] : undefined;
  if (!contract) {
    return {
      ok: false,
      error: { code: 'invalid-request', message: `unknown call ${describeCallName(name)}`, field: 'name' },
    };
  }
  const parsed = contract.request.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data as ValidInvokeRequest<K> };
  const problem = firstSchemaProblem(parsed.error);
  return {
    ok: false,
    error: { code: 'invalid-request', message: describeSchemaProblem(problem), field: problem.field },
  };
}

/**
 * An untrusted call name, for an error message. Never String(name): an
 * object with its own toString would run (or throw) there.
 */
export function describeCallName(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name.slice(0, 100));
  return name === null ? 'null' : `of type ${typeof name}`;
}

export function isInvokeName(name: unknown): name is InvokeName {
  return typeof name === 'string' && Object.hasOwn(invokeContract, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(eventContract, name);
}
