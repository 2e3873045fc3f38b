/**
 * The live trace model as it crosses IPC: session summaries and batched
 * events. Hop shapes come from the trace file schema, so a live view and a
 * saved file are drawn by the same code.
 */
import type { Hop, Marker, Sample, Segment, Unreachable } from './traceFile';
import type { TraceOptions } from './traceOptions';
import type { IpVersion } from './probe';
import type { ResponderEnrichment } from './enrichment';

export const SESSION_STATES = ['resolving', 'running', 'paused', 'finished', 'stopped', 'failed'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const USER_FACING_ERROR_CODES = [
  'mtr-packet-missing',
  'mtr-packet-permission',
  'mtr-packet-crashed',
  'mtr-packet-invalid',
  'resolve-failed',
  'invalid-argument',
  'no-route',
  'network-down',
  'mtr-packet-limitation',
  'internal',
] as const;

/** An error a person can act on: what happened, and how to fix it. */
export interface UserFacingError {
  code: (typeof USER_FACING_ERROR_CODES)[number];
  title: string;
  detail: string;
  fix?: string;
}

/** Hop statistics without the raw samples (those travel as deltas). */
export type HopStatsUpdate = Omit<Hop, 'samples'>;

export interface SessionSummary {
  id: string;
  options: TraceOptions;
  state: SessionState;
  targetAddress: string | null;
  ipVersion: IpVersion | null;
  /** TTL at which the destination answered in the current segment, once known. */
  destinationTtl: number | null;
  /** Rounds completed in the whole session (all segments). */
  rounds: number;
  /**
   * Index of the current segment (0, then +1 per options change); its hops are
   * the ones `hops` events without another `segment` carry. Absent means 0.
   */
  segment?: number;
  /**
   * The session's segments, oldest first, the last being the current one (at
   * most MAX_SEGMENTS; older ones are forgotten). The engine always sets it;
   * absent means one segment with the summary's options.
   */
  segments?: Segment[];
  startedAt: number;
  mtrPacketVersion: string | null;
  /** Host name of the machine probing (os.hostname()), for mtr's `HOST:` in reports; absent when not known. */
  host?: string;
  restarts: { at: number; round: number }[];
  /**
   * Options changes, helper restarts and stalled rounds, in time order. The
   * engine always sets it; optional so summaries built elsewhere stay valid.
   */
  markers?: Marker[];
  /** Set while the path ends at a router answering ICMP net/host unreachable. */
  unreachable?: Unreachable;
  /**
   * Probes waiting for a free slot (mtr-packet's are shared by every
   * session); while any wait, no new round starts. Absent when none wait.
   */
  heldBackProbes?: number;
  error?: UserFacingError;
  /** Set on a session the app shows from an agent's read-only view: where it comes from, and that connection's state. */
  remote?: RemoteOrigin;
}

/** An agent's session as the app shows it (src/main/remote): read-only, live while its connection is. */
export interface RemoteOrigin {
  agentId: string;
  /** HOST:PORT as the person typed it. */
  address: string;
  connection: 'connecting' | 'connected' | 'lost' | 'closed';
  /** While `lost`: when the next attempt starts (ms since the epoch). */
  retryAt: number | null;
  /**
   * `off` once the agent said it keeps no history (it runs without `--history`): its sessions have no stored
   * session to link, so nobody asks for its list again until it reconnects. Absent: recording or not known yet.
   */
  history?: 'off';
}

export type SessionEvent =
  | { type: 'state'; summary: SessionSummary }
  /**
   * Current statistics of the hops that changed, plus the samples recorded or
   * changed since the last batch. A sample is identified by (ttl, round): a
   * later one for the same key replaces the earlier (a late reply after a
   * presumed loss), exactly as in the engine's own hop.
   */
  | {
      type: 'hops';
      /**
       * The segment these hops belong to. A receiver seeing a higher index than
       * it holds closes its current segment and starts an empty one: nothing
       * of one segment is ever added to another. Absent: the receiver's current segment.
       */
      segment?: number;
      hops: HopStatsUpdate[];
      samples: { ttl: number; samples: Sample[] }[];
      /**
       * TTLs the engine forgot before this batch's hops and samples apply:
       * probed past an end not yet known and never on the path (round 0's
       * overshoot). History is never dropped; it is marked `onPath: false`.
       */
      dropped?: number[];
    }
  /** A responder appeared at a TTL where it was not seen before (ECMP branch or route change). */
  | { type: 'path-changed'; ttl: number; address: string }
  | { type: 'destination-reached'; ttl: number }
  /** A responder's reverse DNS name arrived. */
  | { type: 'hostname'; address: string; hostname: string | null }
  /**
   * Who owns a responder (AS, country), sent once per new address as soon as
   * the data answers: at once when it is loaded, when loading ends otherwise.
   * `{}`: looked up, nothing known.
   */
  | { type: 'owner'; address: string; owner: ResponderEnrichment }
  | { type: 'error'; error: UserFacingError };

export interface SessionEventBatch {
  sessionId: string;
  /** Increments per batch per session, so a receiver can notice gaps. */
  seq: number;
  events: SessionEvent[];
}
