/** Valid example payloads for every invoke channel, shared by the IPC tests. */
import type { InvokeName } from '@shared/ipc';
import type { TraceDocument } from '@shared/traceFile';
import { traceDocument } from '../../fixtures/traceBuilders';

export const VALID_DOCUMENT: TraceDocument = traceDocument([], {
  createdAt: '2026-01-01T00:00:00.000Z',
  tool: { name: 'hopscope', version: '0.1.0', mtrPacketVersion: null },
  target: { input: '192.0.2.1', address: '192.0.2.1', ipVersion: 4 },
  options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 1, intervalSec: 1, timeoutSec: 1, dns: false },
  destinationReached: false,
  rounds: undefined,
});

/** A full set of trace options, every optional field present, so each can be broken in turn. */
export const FULL_TRACE_OPTIONS = {
  target: '192.0.2.1',
  protocol: 'udp',
  port: 33434,
  firstTtl: 1,
  maxTtl: 30,
  count: 5,
  intervalSec: 1,
  timeoutSec: 2,
  size: 64,
  bitPattern: 0,
  tos: 0,
  mark: 1,
  localIp: '192.0.2.10',
  localPort: 40000,
  ipVersion: 4,
  dns: true,
  sampleBufferSize: 100,
} as const;

export const VALID_PAYLOADS: { readonly [K in InvokeName]: unknown } = {
  startSession: FULL_TRACE_OPTIONS,
  stopSession: { sessionId: 'abc-123' },
  pauseSession: { sessionId: 'abc-123' },
  resumeSession: { sessionId: 'abc-123' },
  updateSession: { sessionId: 'abc-123', options: { target: 'r1.hopscope.test' } },
  closeSession: { sessionId: 'abc-123' },
  listSessions: undefined,
  attachSession: { sessionId: 'abc-123' },
  getSessionDocument: { sessionId: 'abc-123' },
  checkMtrPacket: undefined,
  listLocalAddresses: undefined,
  resolveTarget: { target: 'localhost', ipVersion: 6 },
  importTraceText: { fileName: 'trace.json', text: '{}' },
  openTraceFile: undefined,
  saveTraceJson: { suggestedName: 'trace', document: VALID_DOCUMENT },
  savePng: { suggestedName: 'graph', pngBase64: 'iVBORw0KGgo=' },
  getLastTraceOptions: undefined,
  rendererReady: undefined,
  getEnrichmentStatus: undefined,
  getEnrichmentSettings: undefined,
  // Both paths strings, not null: the wrong-type property tries values of another type than the example's,
  // and for a null example that includes strings such as "/", which a nullable path rightly accepts.
  setEnrichmentSettings: { asnDbPath: '/srv/data/asn.csv', geoDbPath: '/srv/data/country.mmdb' },
  chooseDatabaseFile: { kind: 'asn' },
  // Session history
  listStoredSessions: undefined,
  deleteStoredSession: { id: 1 },
  openStoredSession: { id: 1, from: 1_700_000_000_000, to: 1_700_000_060_000, samplesPerHop: 600 },
  exportStoredSession: { id: 1, from: 1_700_000_000_000, to: 1_700_000_060_000, suggestedName: 'trace' },
  getTimeline: { id: 1, ttl: 3, from: 1_700_000_000_000, to: 1_700_000_060_000, buckets: 600 },
  getWindowStats: { id: 1, from: 1_700_000_000_000 },
  // Agents' read-only views
  connectAgent: { address: '127.0.0.1:9465', token: 'a'.repeat(43) },
  disconnectAgent: { agentId: 'agent-1' },
  listAgents: undefined,
  getTimelineMarkers: { id: 1, from: 1_700_000_000_000, to: 1_700_000_060_000 },
  // Session files
  exportSessionFile: { id: 1, suggestedName: 'session' },
  closeSessionFile: { id: 0x7000_0001 },
  openDroppedSessionFile: { path: '/home/someone/colleague.duckdb' },
};
