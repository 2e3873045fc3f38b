import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { parseTraceFile } from '@shared/formats/importTrace';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import type { Segment } from '@shared/traceFile';
import {
  applyEventBatch,
  createLiveTab,
  loadDocument,
  tabHops,
  toTraceDocument,
} from '../../src/renderer/src/store/reducers';
import { shownTab, viewSegment } from '../../src/renderer/src/store/segments';
import { hop, host, sample, summary } from '../fixtures/traceBuilders';
import {
  allByTestId,
  byTestId,
  click,
  fakeApi,
  mountApp,
  sampleDocument,
  startTrace,
  settle,
  typeInto,
} from './appHarness';

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
});

const segmentOf = (index: number, protocol: 'icmp' | 'udp' | 'tcp', rounds: number, endedAt?: number): Segment => ({
  index,
  target: { input: '192.0.2.1', address: '192.0.2.1', ipVersion: 4 },
  options: { protocol, firstTtl: 1, maxTtl: 30, count: null, intervalSec: 1 },
  startedAt: 1_700_000_000_000 + index * 60_000,
  ...(endedAt !== undefined ? { endedAt } : {}),
  firstRound: index * 10,
  rounds,
  destinationTtl: 2,
});

/** A running session's summary in segment `index`, listing the segments up to it. */
function inSegment(index: number): SessionSummary {
  const protocols = ['icmp', 'udp', 'tcp'] as const;
  const segments = protocols
    .slice(0, index + 1)
    .map((p, i) =>
      segmentOf(i, p, i === index ? 1 : 10, i === index ? undefined : 1_700_000_000_000 + (i + 1) * 60_000 - 1),
    );
  return summary(
    { id: 's1', segment: index, segments, destinationTtl: 2, targetAddress: '192.0.2.1' },
    { target: '192.0.2.1', protocol: protocols[index], count: null },
  );
}

/** One round of a two-hop path where every RTT is `rtt`; hop stats say `sent` probes. */
function round(seq: number, index: number, r: number, rtt: number, sent: number): SessionEventBatch {
  const stats = (ttl: number) =>
    hop(ttl, [host(ttl === 2 ? '192.0.2.1' : '10.0.0.1', { avgMs: rtt, lastMs: rtt })], { sent, received: sent });
  return {
    sessionId: 's1',
    seq,
    events: [
      { type: 'state', summary: inSegment(index) },
      {
        type: 'hops',
        segment: index,
        hops: [stats(1), stats(2)],
        samples: [1, 2].map((ttl) => ({ ttl, samples: [sample(r, ttl === 2 ? '192.0.2.1' : '10.0.0.1', rtt)] })),
      },
    ],
  };
}

describe('segments in the store', () => {
  function twoSegmentTab() {
    let tab = createLiveTab({ id: 't', summary: inSegment(0) });
    for (let r = 0; r < 10; r++) tab = applyEventBatch(tab, round(r + 1, 0, r, 1, r + 1));
    tab = applyEventBatch(tab, round(11, 1, 10, 50, 1));
    return tab;
  }

  it('never adds one segment to another: the new one starts empty, the earlier one is frozen', () => {
    const tab = twoSegmentTab();
    expect(tab.segment).toBe(1);
    expect(tab.hops[2]).toMatchObject({ sent: 1, hosts: [{ avgMs: 50 }] });
    expect(tab.samples[2]!.map((s) => [s.round, s.rttMs])).toEqual([[10, 50]]);
    expect(tab.earlierSegments[0]!.hops[2]).toMatchObject({ sent: 10, hosts: [{ avgMs: 1 }] });
    expect(tab.earlierSegments[0]!.samples[2]).toHaveLength(10);
    // A late batch of the closed segment changes nothing.
    const late = applyEventBatch(tab, { ...round(12, 0, 9, 999, 99), events: [round(12, 0, 9, 999, 99).events[1]!] });
    expect(late.hops).toBe(tab.hops);
    expect(late.earlierSegments).toBe(tab.earlierSegments);
  });

  it('shows the chosen segment, and copies and exports only what is shown', () => {
    const tab = viewSegment(twoSegmentTab(), 0);
    const shown = shownTab(tab);
    expect(shown).toBe(shownTab(tab));
    expect(shown.hops[2]!.sent).toBe(10);
    const doc = toTraceDocument(shown);
    expect(doc.options.protocol).toBe('icmp');
    expect(doc.segments?.map((s) => s.index)).toEqual([0]);
    expect(doc.hops[1]!.samples.every((s) => s.segment === 0 && s.rttMs === 1)).toBe(true);
    expect(shownTab(viewSegment(tab, null))).not.toHaveProperty('showing');
  });

  it('round-trips every segment through a file', () => {
    const tab = twoSegmentTab();
    const doc = toTraceDocument(tab, new Date(1_700_000_100_000));
    expect(doc.version).toBe(2);
    expect(doc.segments?.map((s) => [s.index, s.options.protocol, s.hops?.length])).toEqual([
      [0, 'icmp', 2],
      [1, 'udp', undefined],
    ]);
    expect(doc.hops.flatMap((h) => h.samples).every((s) => s.segment === 1)).toBe(true);
    const parsed = parseTraceFile(JSON.stringify(doc));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.doc).toEqual(doc);
    const opened = loadDocument(parsed.doc);
    expect(opened.segment).toBe(1);
    expect(tabHops(opened.earlierSegments[0]!)).toEqual(doc.segments![0]!.hops);
    expect(toTraceDocument(opened)).toEqual(doc);
    expect(toTraceDocument(shownTab(viewSegment(opened, 0))).hops).toEqual(doc.segments![0]!.hops);
  });

  it('opens a version-1 file as one segment', () => {
    const v1 = { ...sampleDocument(), version: 1 as const };
    const parsed = parseTraceFile(JSON.stringify(v1));
    if (!parsed.ok) throw new Error(parsed.error);
    const tab = loadDocument(parsed.doc);
    expect(tab.segment).toBe(0);
    expect(tab.earlierSegments).toEqual({});
    expect(toTraceDocument(tab)).toEqual(parsed.doc);
  });
});

describe('segments on screen', () => {
  it('offers earlier segments in the status bar, and the table shows one segment at a time', async () => {
    const { container, fake, unmount } = await mountApp();
    await startTrace(container, '192.0.2.1');
    for (let r = 0; r < 10; r++) fake.emit('sessionEvents', round(r + 1, 0, r, 1, r + 1));
    expect(byTestId(container, 'segment-select')).toBeNull();
    fake.emit('sessionEvents', round(11, 1, 10, 50, 1));
    const select = byTestId(container, 'segment-select') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['0', '1']);
    expect(select.value).toBe('1');
    expect(byTestId(container, 'status-bar')!.textContent).toContain('UDP');
    expect(byTestId(container, 'status-rounds')!.textContent).toContain('1 rounds');
    const rowSnt = () => allByTestId(container, 'hop-row').map((r) => r.textContent);
    const current = rowSnt();
    act(() => {
      select.value = '0';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(byTestId(container, 'status-rounds')!.textContent).toContain('10 rounds');
    expect(byTestId(container, 'status-bar')!.textContent).toContain('ICMP');
    expect(rowSnt()).not.toEqual(current);
    const destination = byTestId(container, 'status-destination')!;
    expect(destination.textContent).toBe('Destination reached at hop 2');
    // A narrow bar shortens the words with an ellipsis; the hop number is its own unshrinkable piece.
    expect(destination.querySelector('.hs-status-num')!.textContent).toBe('2');
    expect(destination.title).toBe('Destination reached at hop 2');
    unmount();
  });

  it('leaves the running trace alone when a new target does not resolve, and says so at the field', async () => {
    const fake = fakeApi();
    const { container, store, unmount } = await mountApp(fake);
    await startTrace(container, '192.0.2.1');
    fake.emit('sessionEvents', round(1, 0, 0, 1, 1));
    fake.handlers.updateSession.mockImplementation(() =>
      Promise.resolve({
        ok: false as const,
        error: {
          code: 'failed' as const,
          message: 'Cannot resolve nowhere.invalid: no such host',
          userError: {
            code: 'resolve-failed' as const,
            title: 'Cannot resolve nowhere.invalid',
            detail: 'no such host',
          },
        },
      }),
    );
    const before = store.getState().tabs[0]!;
    typeInto(byTestId(container, 'target-input') as HTMLInputElement, 'nowhere.invalid');
    await click(byTestId(container, 'apply-button')!);
    await settle();
    const after = store.getState().tabs[0]!;
    expect(after.title).toBe(before.title);
    expect(after.hops).toBe(before.hops);
    expect(after.summary).toBe(before.summary);
    expect(container.querySelector('[role="alert"]')!.textContent).toBe('Cannot resolve nowhere.invalid: no such host');
    expect(allByTestId(container, 'tab')[0]!.textContent).toContain('192.0.2.1');
    expect(byTestId(container, 'status-state')!.textContent).toContain('Running');
    unmount();
  });
});
