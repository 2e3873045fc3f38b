/** A TraceService recording into a history file on the namespace network, for the history service tests. */
import { TraceService } from '../../src/main/service/traceService';
import { namespaceResolvers } from '../net/namespaceResolvers';
import { namespaceRouteLookup } from '../net/namespaceRouteLookup';
import type { TraceDocument } from '@shared/traceFile';
import type { SessionEvent, SessionEventBatch } from '@shared/session';
import type { TestNetwork } from '../net/testNetwork';

export function makeService(net: TestNetwork, historyPath: string) {
  const batches: SessionEventBatch[] = [];
  const service = new TraceService({
    mtrPacketPath: net.mtrPacketPath,
    resolvers: namespaceResolvers(net),
    routeLookup: namespaceRouteLookup(net),
    history: { path: historyPath, store: { flushIntervalMs: 100 } },
  });
  service.onEvents((b) => batches.push(b));
  const stateOf = (id: string) =>
    batches
      .filter((b) => b.sessionId === id)
      .flatMap((b) => b.events)
      .filter((e): e is Extract<SessionEvent, { type: 'state' }> => e.type === 'state')
      .at(-1)?.summary.state;
  return { service, stateOf, batches };
}

export async function call<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>) {
  const r = await result;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Samples per TTL as comparable rows (RTTs to the microsecond, the store's resolution). */
export function samplesOf(doc: TraceDocument) {
  return doc.hops.map((h) => ({
    ttl: h.ttl,
    samples: h.samples.map((s) => [s.round, s.result, s.address, s.rttMs === null ? null : Math.round(s.rttMs * 1000)]),
  }));
}
