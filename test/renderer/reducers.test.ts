import { describe, expect, it } from 'vitest';
import type { SessionEvent, SessionEventBatch } from '@shared/session';
import {
  PATH_CHANGE_CAP,
  applyBatchToTabs,
  applyEventBatch,
  closeTab,
  createLiveTab,
  openTab,
  selectTab,
  selectTtl,
  type TraceTab,
} from '../../src/renderer/src/store/reducers';
import { hop, host, sample, summary } from '../fixtures/traceBuilders';

let seq = 0;
function batch(...events: SessionEvent[]): SessionEventBatch {
  return { sessionId: 'session-1', seq: ++seq, events };
}

function liveTab(sampleCap = 600): TraceTab {
  seq = 0;
  return createLiveTab({ id: 't1', summary: summary(), sampleCap });
}

/** Round 0 of a two-hop path: 10.0.0.1 at TTL 1 (1 ms), 10.0.0.2 at TTL 2 (2 ms). */
function firstTwoHops(): SessionEvent {
  return {
    type: 'hops',
    hops: [hop(1, [host('10.0.0.1')]), hop(2, [host('10.0.0.2')])],
    samples: [
      { ttl: 1, samples: [sample(0, '10.0.0.1', 1)] },
      { ttl: 2, samples: [sample(0, '10.0.0.2', 2)] },
    ],
  };
}

describe('applyEventBatch', () => {
  it('stores hop stats and appends sample deltas', () => {
    let tab = liveTab();
    tab = applyEventBatch(tab, batch(firstTwoHops()));
    tab = applyEventBatch(
      tab,
      batch({
        type: 'hops',
        hops: [hop(1, [host('10.0.0.1', { lastMs: 3 })])],
        samples: [{ ttl: 1, samples: [sample(1, '10.0.0.1', 3)] }],
      }),
    );
    expect(Object.keys(tab.hops)).toEqual(['1', '2']);
    expect(tab.hops[1]!.hosts[0]!.lastMs).toBe(3);
    expect(tab.samples[1]!.map((s) => s.round)).toEqual([0, 1]);
    expect(tab.samples[2]!.map((s) => s.round)).toEqual([0]);
    expect(tab.lastSeq).toBe(2);
  });

  it('only replaces what a batch touches', () => {
    let tab = liveTab();
    tab = applyEventBatch(tab, batch(firstTwoHops()));
    const before = tab;
    tab = applyEventBatch(
      tab,
      batch({
        type: 'hops',
        hops: [hop(2, [host('10.0.0.2')])],
        samples: [{ ttl: 2, samples: [sample(1, '10.0.0.2', 2)] }],
      }),
    );
    expect(tab.hops[1]).toBe(before.hops[1]);
    expect(tab.samples[1]).toBe(before.samples[1]);
    expect(tab.samples[2]).not.toBe(before.samples[2]);
    expect(before.samples[2]).toHaveLength(1); // the previous state is untouched
    expect(tab.hostnames).toBe(before.hostnames);
  });

  it('keeps at most sampleCap samples per TTL, newest last', () => {
    let tab = liveTab(5);
    for (let r = 0; r < 12; r += 3) {
      const samples = [0, 1, 2].map((k) => sample(r + k, '10.0.0.1', r + k));
      tab = applyEventBatch(
        tab,
        batch({ type: 'hops', hops: [hop(1, [host('10.0.0.1')])], samples: [{ ttl: 1, samples }] }),
      );
      expect(tab.samples[1]!.length).toBeLessThanOrEqual(5);
    }
    expect(tab.samples[1]!.map((s) => s.round)).toEqual([7, 8, 9, 10, 11]);
    // A single delta larger than the cap keeps its newest part.
    const big = Array.from({ length: 9 }, (_, k) => sample(100 + k, '10.0.0.1', 1));
    tab = applyEventBatch(tab, batch({ type: 'hops', hops: [], samples: [{ ttl: 1, samples: big }] }));
    expect(tab.samples[1]!.map((s) => s.round)).toEqual([104, 105, 106, 107, 108]);
  });

  it('applies hostnames to known hops and to later updates that lack them', () => {
    let tab = liveTab();
    tab = applyEventBatch(
      tab,
      batch({ type: 'hops', hops: [hop(1, [host('10.0.0.1')]), hop(2, [host('10.0.0.2')])], samples: [] }),
    );
    tab = applyEventBatch(tab, batch({ type: 'hostname', address: '10.0.0.1', hostname: 'gw.example' }));
    expect(tab.hops[1]!.hosts[0]!.hostname).toBe('gw.example');
    expect(tab.hostnames['10.0.0.1']).toBe('gw.example');
    // A stats update computed before the name arrived must not erase it.
    tab = applyEventBatch(tab, batch({ type: 'hops', hops: [hop(1, [host('10.0.0.1', { lastMs: 5 })])], samples: [] }));
    expect(tab.hops[1]!.hosts[0]).toMatchObject({ hostname: 'gw.example', lastMs: 5 });
    expect(tab.hops[2]!.hosts[0]!.hostname).toBeNull();
  });

  it('records path changes (bounded), destination, state and errors', () => {
    let tab = liveTab();
    tab = applyEventBatch(
      tab,
      batch(
        { type: 'state', summary: summary({ rounds: 7 }) },
        { type: 'path-changed', ttl: 3, address: '10.0.3.2' },
        { type: 'destination-reached', ttl: 9 },
      ),
    );
    expect(tab.summary!.rounds).toBe(7);
    expect(tab.pathChanges).toEqual([{ ttl: 3, address: '10.0.3.2', seq: 1, round: 7 }]);
    expect(tab.destinationTtl).toBe(9);

    const error = { code: 'mtr-packet-crashed' as const, title: 'mtr-packet stopped', detail: 'exit code 1' };
    tab = applyEventBatch(tab, batch({ type: 'error', error }));
    expect(tab.error).toEqual(error);
    tab = applyEventBatch(tab, batch({ type: 'state', summary: summary({ state: 'failed', error }) }));
    tab = applyEventBatch(tab, batch({ type: 'state', summary: summary({ state: 'running' }) }));
    expect(tab.error).toBeNull();

    for (let i = 0; i < PATH_CHANGE_CAP + 50; i++) {
      tab = applyEventBatch(tab, batch({ type: 'path-changed', ttl: 3, address: `10.0.3.${i % 250}` }));
    }
    expect(tab.pathChanges).toHaveLength(PATH_CHANGE_CAP);
  });

  it('ignores other sessions and replayed batches, and counts gaps', () => {
    let tab = liveTab();
    const first = batch({ type: 'hops', hops: [], samples: [{ ttl: 1, samples: [sample(0, '10.0.0.1', 1)] }] });
    tab = applyEventBatch(tab, first);
    expect(applyEventBatch(tab, first)).toBe(tab);
    expect(applyEventBatch(tab, { ...first, sessionId: 'other', seq: 99 })).toBe(tab);
    tab = applyEventBatch(tab, { sessionId: 'session-1', seq: 5, events: [] });
    expect(tab.missedBatches).toBe(3);
  });

  it('stays within its caps for 30 hops × 4 responders × 1 sample/s over an hour', () => {
    const cap = 600;
    let tab = liveTab(cap);
    const responders = (ttl: number) => [0, 1, 2, 3].map((r) => host(`10.${ttl}.${r}.1`));
    const ttls = Array.from({ length: 30 }, (_, i) => i + 1);
    for (let round = 0; round < 3600; round++) {
      tab = applyEventBatch(
        tab,
        batch({
          type: 'hops',
          hops: ttls.map((t) => hop(t, responders(t))),
          samples: ttls.map((t) => ({ ttl: t, samples: [sample(round, `10.${t}.${round % 4}.1`, 10)] })),
        }),
      );
    }
    expect(Object.keys(tab.hops)).toHaveLength(30);
    for (const list of Object.values(tab.samples)) {
      expect(list).toHaveLength(cap);
      expect(list[list.length - 1]!.round).toBe(3599);
    }
    expect(Object.keys(tab.hostnames)).toHaveLength(0);
    expect(tab.pathChanges).toHaveLength(0);

    // A batch naming one TTL leaves every other TTL's arrays as they were.
    const prev = tab;
    tab = applyEventBatch(
      tab,
      batch({
        type: 'hops',
        hops: [hop(7, responders(7))],
        samples: [{ ttl: 7, samples: [sample(3600, '10.7.0.1', 10)] }],
      }),
    );
    for (const t of ttls) {
      if (t === 7) continue;
      expect(tab.samples[t]).toBe(prev.samples[t]);
      expect(tab.hops[t]).toBe(prev.hops[t]);
    }
  });
});

describe('segments', () => {
  const hopsIn = (segment: number, address: string, sent: number): SessionEvent => ({
    type: 'hops',
    segment,
    hops: [hop(1, [host(address)], { sent, received: sent })],
    samples: [{ ttl: 1, samples: [sample(sent, address, 1)] }],
  });

  it('resets the destination for a new segment and finds it again there', () => {
    let tab = applyEventBatch(liveTab(), batch({ type: 'destination-reached', ttl: 12 }, hopsIn(0, '10.0.0.1', 3)));
    expect(tab.destinationTtl).toBe(12);
    tab = applyEventBatch(tab, batch({ type: 'state', summary: summary({ segment: 1 }) }));
    expect(tab.destinationTtl).toBeNull();
    expect(tab.earlierSegments[0]!.destinationTtl).toBe(12);
    tab = applyEventBatch(tab, batch({ type: 'destination-reached', ttl: 5 }));
    expect(tab.destinationTtl).toBe(5);
  });

  it('names responders of earlier segments when their names arrive late', () => {
    let tab = applyEventBatch(liveTab(), batch(hopsIn(0, '10.0.0.1', 1)));
    tab = applyEventBatch(tab, batch(hopsIn(1, '10.0.0.9', 1)));
    const current = tab.hops;
    tab = applyEventBatch(tab, batch({ type: 'hostname', address: '10.0.0.1', hostname: 'gw.hopscope.test' }));
    expect(tab.earlierSegments[0]!.hops[1]!.hosts[0]!.hostname).toBe('gw.hopscope.test');
    expect(tab.hops).toBe(current);
  });
});

describe('dropped TTLs', () => {
  it('forgets the hops and samples of TTLs the engine dropped before applying the rest of the batch', () => {
    let tab = liveTab();
    tab = applyEventBatch(
      tab,
      batch({
        type: 'hops',
        hops: [hop(1, [host('10.0.0.1')]), hop(2, [host('10.0.0.2')]), hop(3, [host('10.0.0.2')])],
        samples: [{ ttl: 3, samples: [sample(0, '10.0.0.2', 1)] }],
      }),
    );
    tab = applyEventBatch(
      tab,
      batch({ type: 'hops', hops: [hop(2, [host('10.0.0.2')])], samples: [], dropped: [2, 3] }),
    );
    expect(Object.keys(tab.hops)).toEqual(['1', '2']);
    expect(tab.samples[3]).toBeUndefined();
  });
});

describe('tabs', () => {
  const a = createLiveTab({ id: 'a' });
  const b = createLiveTab({ id: 'b' });
  const c = createLiveTab({ id: 'c' });

  it('opens, selects and closes tabs like a browser', () => {
    let state = [a, b, c].reduce(openTab, { tabs: [], activeTabId: null });
    expect(state.activeTabId).toBe('c');
    state = selectTab(state, 'b');
    expect(state.activeTabId).toBe('b');
    expect(selectTab(state, 'nope')).toBe(state);
    state = closeTab(state, 'b');
    expect(state.tabs.map((t) => t.id)).toEqual(['a', 'c']);
    expect(state.activeTabId).toBe('c');
    state = closeTab(state, 'c');
    expect(state.activeTabId).toBe('a');
    state = closeTab(state, 'a');
    expect(state).toEqual({ tabs: [], activeTabId: null });
  });

  it('selects a TTL and routes batches by session', () => {
    expect(selectTtl(a, 4).selectedTtl).toBe(4);
    expect(selectTtl(a, null)).toBe(a);
    const live = createLiveTab({ id: 'l', summary: summary({ id: 's9' }) });
    const state = { tabs: [a, live], activeTabId: 'a' };
    const next = applyBatchToTabs(state, {
      sessionId: 's9',
      seq: 1,
      events: [{ type: 'destination-reached', ttl: 5 }],
    });
    expect(next.tabs[0]).toBe(a);
    expect(next.tabs[1]!.destinationTtl).toBe(5);
    expect(applyBatchToTabs(state, { sessionId: 'unknown', seq: 1, events: [] })).toBe(state);
  });
});
