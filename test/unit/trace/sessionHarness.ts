import { expect } from 'vitest';
import { TraceSession } from '../../../src/main/trace/traceSession';
import type { TraceSessionDeps } from '../../../src/main/trace/sessionDeps';
import { explainFailure } from '../../../src/main/service/sessionErrors';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import { buildTraceDocument } from '@shared/traceDocument';
import {
  applyEventBatch,
  createLiveTab,
  earlierSegmentHops,
  tabHops,
  toTraceDocument,
} from '../../../src/renderer/src/store/reducers';
import type { ScriptedTransport } from '../../fixtures/scriptedTransport';

export const TARGET = '198.18.9.9';

/** A session on a scripted transport that keeps every batch it emits. */
export function scriptedSession(
  transport: ScriptedTransport,
  input: Partial<TraceOptionsInput> = {},
  deps: Partial<TraceSessionDeps> = {},
) {
  const batches: SessionEventBatch[] = [];
  const options = traceOptionsSchema.parse({ target: TARGET, count: 1, intervalSec: 0.05, dns: false, ...input });
  const session = new TraceSession('s1', options, { transport, explainFailure, batchIntervalMs: 20, ...deps }, (b) =>
    batches.push(b),
  );
  const initial: SessionSummary = session.summary();
  return { session, batches, initial };
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Replays every batch a session emitted through the renderer's reducers and
 * checks the tab holds exactly the engine's hops and document, segment by
 * segment, hop by hop and sample by sample.
 */
export function expectLiveModelEqualsFileModel(
  session: TraceSession,
  batches: SessionEventBatch[],
  initial: SessionSummary,
) {
  session.flush();
  let tab = createLiveTab({ id: 'tab', summary: initial, sampleCap: initial.options.sampleBufferSize });
  for (const batch of batches) tab = applyEventBatch(tab, batch);
  expect(tab.missedBatches).toBe(0);
  const engineHops = session.snapshotHops();
  const liveHops = tabHops(tab);
  expect(liveHops.map((h) => h.ttl)).toEqual(engineHops.map((h) => h.ttl));
  for (let i = 0; i < engineHops.length; i++) expect(liveHops[i], `TTL ${engineHops[i]!.ttl}`).toEqual(engineHops[i]);
  const engineEarlier = session.snapshotEarlierSegments();
  expect(tab.segment).toBe(session.summary().segment);
  expect(earlierSegmentHops(tab)).toEqual(engineEarlier);
  const at = new Date(1_700_000_000_000);
  expect(toTraceDocument(tab, at)).toEqual(buildTraceDocument(session.summary(), engineHops, at, engineEarlier));
  return tab;
}
