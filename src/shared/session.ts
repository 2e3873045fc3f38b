/**
 * The live trace model as it crosses IPC: session summaries and batched
 * events. Hop shapes come from the trace file schema, so a live view and a
 * saved file are drawn by the same code.
 */
import type { Hop, Sample } from './traceFile';
import type { TraceOptions } from './traceOptions';
import type { IpVersion } from './probe';

export const SESSION_STATES = ['resolving', 'running', 'paused', 'finished', 'stopped', 'failed'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** An error a person can act on: what happened, and how to fix it. */
export interface UserFacingError {
  code:
    | 'mtr-packet-missing'
    | 'mtr-packet-permission'
    | 'mtr-packet-crashed'
    | 'mtr-packet-invalid'
    | 'resolve-failed'
    | 'invalid-argument'
    | 'no-route'
    | 'network-down'
    | 'mtr-packet-limitation'
    | 'internal';
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
  /** TTL at which the destination answered, once known. */
  destinationTtl: number | null;
  rounds: number;
  startedAt: number;
  mtrPacketVersion: string | null;
  /** Host name of the machine probing (os.hostname()), for mtr's `HOST:` in reports; absent when not known. */
  host?: string;
  restarts: { at: number; round: number }[];
  error?: UserFacingError;
}

export type SessionEvent =
  | { type: 'state'; summary: SessionSummary }
  /** Current statistics of the hops that changed, plus the samples recorded since the last batch. */
  | { type: 'hops'; hops: HopStatsUpdate[]; samples: { ttl: number; samples: Sample[] }[] }
  /** A responder appeared at a TTL where it was not seen before (ECMP branch or route change). */
  | { type: 'path-changed'; ttl: number; address: string }
  | { type: 'destination-reached'; ttl: number }
  /** A responder's reverse DNS name arrived. */
  | { type: 'hostname'; address: string; hostname: string | null }
  | { type: 'error'; error: UserFacingError };

export interface SessionEventBatch {
  sessionId: string;
  /** Increments per batch per session, so a receiver can notice gaps. */
  seq: number;
  events: SessionEvent[];
}
