import { describe, expect, it } from 'vitest';
import { createTraceStore } from '../../src/renderer/src/store/traceStore';
import { hopList, selectActiveTab, tabById } from '../../src/renderer/src/store/selectors';
import { traceDocumentSchema } from '@shared/traceFile';
import { hop, host, sample, summary, traceDocument } from '../fixtures/traceBuilders';

describe('traceStore', () => {
  it('opens a live tab, feeds it batches and selects hops', () => {
    const store = createTraceStore({ sampleCap: 3 });
    const id = store.getState().openLiveTab({ summary: summary() });
    expect(selectActiveTab(store.getState())?.title).toBe('target.hopscope.test');

    for (let round = 0; round < 5; round++) {
      store.getState().applyBatch({
        sessionId: 'session-1',
        seq: round,
        events: [
          {
            type: 'hops',
            hops: [hop(2, [host('10.0.0.2')]), hop(1, [host('10.0.0.1')])],
            samples: [{ ttl: 1, samples: [sample(round, '10.0.0.1', 1)] }],
          },
        ],
      });
    }
    const tab = tabById(store.getState(), id)!;
    expect(tab.samples[1]!.map((s) => s.round)).toEqual([2, 3, 4]);
    expect(hopList(tab).map((h) => h.ttl)).toEqual([1, 2]);
    expect(hopList(tab)).toBe(hopList(tabById(store.getState(), id)!));

    store.getState().selectTtl(2);
    expect(selectActiveTab(store.getState())!.selectedTtl).toBe(2);
  });

  it('does not notify subscribers for batches of unknown sessions', () => {
    const store = createTraceStore();
    store.getState().openLiveTab({ summary: summary() });
    let notified = 0;
    const unsubscribe = store.subscribe(() => void notified++);
    store.getState().applyBatch({ sessionId: 'nobody', seq: 1, events: [] });
    store.getState().selectTab('no-such-tab');
    expect(notified).toBe(0);
    unsubscribe();
  });

  it('opens files read-only next to live tabs and closes them', () => {
    const store = createTraceStore();
    const live = store.getState().openLiveTab();
    const doc = traceDocumentSchema.parse(
      traceDocument([{ ...hop(1, [host('10.0.0.1')]), samples: [] }], {
        createdAt: '2025-01-02T03:04:05Z',
        tool: { name: 'hopscope', version: '0.1.0', mtrPacketVersion: null },
        target: { input: '192.0.2.1', address: '192.0.2.1', ipVersion: 4 },
        options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 1, intervalSec: 1, timeoutSec: 10, dns: false },
        destinationReached: false,
        rounds: undefined,
      }),
    );
    const file = store.getState().openFileTab(doc, 'saved.json');
    expect(store.getState().activeTabId).toBe(file);
    expect(selectActiveTab(store.getState())).toMatchObject({
      mode: 'file',
      title: 'saved.json',
      destinationTtl: null,
    });

    store.getState().attachSession(live, summary({ id: 's2' }));
    expect(tabById(store.getState(), live)).toMatchObject({ sessionId: 's2', mode: 'live' });

    store.getState().closeTab(file);
    expect(store.getState().activeTabId).toBe(live);
    expect(store.getState().tabs).toHaveLength(1);
  });

  it('shows the chosen segment of the active tab, the same object until something changes, and follows the current one again', () => {
    const store = createTraceStore();
    const id = store.getState().openLiveTab({ summary: summary() });
    const batch = (seq: number, segment: number, rtt: number) =>
      store.getState().applyBatch({
        sessionId: 'session-1',
        seq,
        events: [
          { type: 'state', summary: summary({ segment }) },
          {
            type: 'hops',
            segment,
            hops: [hop(1, [host('10.0.0.1', { avgMs: rtt })])],
            samples: [{ ttl: 1, samples: [sample(seq, '10.0.0.1', rtt)] }],
          },
        ],
      });
    batch(1, 0, 1);
    batch(2, 1, 9);
    expect(selectActiveTab(store.getState())!.hops[1]!.hosts[0]!.avgMs).toBe(9);
    store.getState().viewSegment(id, 0);
    const earlier = selectActiveTab(store.getState())!;
    expect(earlier.hops[1]!.hosts[0]!.avgMs).toBe(1);
    expect(earlier.showing).toBe(0);
    expect(selectActiveTab(store.getState())).toBe(earlier);
    // New rounds of the current segment do not disturb the earlier one on screen.
    batch(3, 1, 7);
    expect(selectActiveTab(store.getState())!.samples[1]!.map((s) => s.rttMs)).toEqual([1]);
    store.getState().viewSegment(id, null);
    expect(selectActiveTab(store.getState())!.samples[1]!.map((s) => s.rttMs)).toEqual([9, 7]);
  });
});
