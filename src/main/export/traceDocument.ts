import type { Hop, TraceDocument } from '@shared/traceFile';
import { TRACE_FORMAT, TRACE_FORMAT_VERSION } from '@shared/traceFile';
import type { SessionSummary } from '@shared/session';
import { APP_NAME, APP_VERSION } from '@shared/appInfo';

/** The `hopscope.trace` v1 document for a session's current state. */
export function buildTraceDocument(summary: SessionSummary, hops: Hop[], createdAt = new Date()): TraceDocument {
  const { target, ...options } = summary.options;
  return {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    tool: { name: APP_NAME, version: APP_VERSION, mtrPacketVersion: summary.mtrPacketVersion },
    target: { input: target, address: summary.targetAddress, ipVersion: summary.ipVersion },
    options,
    destinationReached: summary.destinationTtl !== null,
    rounds: summary.rounds,
    restarts: summary.restarts,
    hops,
  };
}
