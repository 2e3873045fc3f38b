/**
 * An agent session in the app's numbering: ids, batch numbers and segments.
 * When the agent's session behind a target is replaced (a retry, an agent
 * restart), the tab keeps what it drew as an earlier segment and the new
 * session starts the next one: nothing of the two is mixed.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteOrigin, SessionEventBatch } from '@shared/session';
import type { Segment } from '@shared/traceFile';
import { RemoteSession } from '../../../src/main/remote/remoteSession';
import { applyEventBatch, createLiveTab } from '../../../src/renderer/src/store/reducers';
import { host, hop, sample, summary } from '../../fixtures/traceBuilders';

const ORIGIN: RemoteOrigin = { agentId: 'agent-1', address: '127.0.0.1:9465', connection: 'connected', retryAt: null };

function segment(index: number, startedAt: number): Segment {
  return {
    index,
    target: { input: '192.0.2.9', address: '192.0.2.9', ipVersion: 4 },
    options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, intervalSec: 1, timeoutSec: 2, dns: false },
    startedAt,
    firstRound: 0,
    rounds: 0,
    destinationTtl: null,
  };
}

const agentSummary = (startedAt: number) =>
  summary({ id: 't-1', startedAt, segment: 0, segments: [segment(0, startedAt)] }, { target: '192.0.2.9' });

function hopsBatch(seq: number, rounds: number[]): SessionEventBatch {
  return {
    sessionId: 't-1',
    seq,
    events: [
      {
        type: 'hops',
        hops: [hop(1, [host('192.0.2.1')])],
        samples: [{ ttl: 1, samples: rounds.map((r) => sample(r, '192.0.2.1', 1)) }],
      },
    ],
  };
}

describe('an agent session in the app', () => {
  it('carries the app id, its own batch numbers and the connection', () => {
    const session = new RemoteSession('agent-1-1', 't-1', () => ORIGIN);
    const first = session.mapBatch({
      sessionId: 't-1',
      seq: 40,
      events: [{ type: 'state', summary: agentSummary(1000) }],
    });
    const second = session.mapBatch(hopsBatch(41, [0]));
    expect(first).toMatchObject({ sessionId: 'agent-1-1', seq: 1 });
    expect(second).toMatchObject({ sessionId: 'agent-1-1', seq: 2 });
    expect(session.current()).toMatchObject({ id: 'agent-1-1', remote: ORIGIN, segment: 0 });
  });

  it('moves a replaced agent session into the next segment, keeping the earlier one as drawn', () => {
    const session = new RemoteSession('agent-1-1', 't-1', () => ORIGIN);
    const batches = [
      session.mapBatch({ sessionId: 't-1', seq: 1, events: [{ type: 'state', summary: agentSummary(1000) }] }),
      session.mapBatch(hopsBatch(2, [0, 1, 2])),
      // The agent restarted: a new session for the same target, rounds from 0 again.
      session.mapBatch({ sessionId: 't-1', seq: 1, events: [{ type: 'state', summary: agentSummary(9000) }] }),
      session.mapBatch(hopsBatch(2, [0])),
    ];
    expect(session.current()?.segment).toBe(1);
    expect(session.current()?.segments?.map((s) => [s.index, s.startedAt])).toEqual([
      [0, 1000],
      [1, 9000],
    ]);
    // The tab opened while the first agent session ran.
    let tab = createLiveTab({ id: 'tab', summary: { ...session.current()!, segment: 0 } });
    for (const batch of batches) tab = applyEventBatch(tab, batch);
    expect(tab.segment).toBe(1);
    expect(tab.samples[1]?.map((s) => s.round)).toEqual([0]);
    expect(tab.earlierSegments[0]?.samples[1]?.map((s) => s.round)).toEqual([0, 1, 2]);
  });
});
