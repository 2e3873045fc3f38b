import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HopAccumulator, MAX_MPLS_LABELS_PER_RESPONDER } from '../../../src/main/trace/hopAccumulator';
import type { MplsLabel, ProbeResult } from '@shared/probe';
import { hopSchema } from '@shared/traceFile';

const ok = (
  responder: string,
  timeMs: number,
  mpls: MplsLabel[] = [],
  kind: 'reply' | 'ttl-expired' = 'ttl-expired',
): ProbeResult => ({
  success: true,
  result: kind,
  timeMs,
  responder,
  mpls,
});
const noReply: ProbeResult = { success: false, result: 'no-reply', timeMs: null, responder: null, mpls: [] };
const local = (result: ProbeResult['result']): ProbeResult => ({
  success: false,
  result,
  timeMs: null,
  responder: null,
  mpls: [],
});
const noRoute: ProbeResult = { success: false, result: 'no-route', timeMs: null, responder: null, mpls: [] };

describe('HopAccumulator', () => {
  it('starts empty with 0% loss', () => {
    const h = new HopAccumulator(3, 8);
    const hop = h.snapshot();
    expect(hop).toEqual({ ttl: 3, sent: 0, received: 0, lossPct: 0, hosts: [], samples: [] });
    expect(hopSchema.parse(hop)).toEqual(hop);
  });

  it('does not count pending probes as loss and keeps them out of samples', () => {
    const h = new HopAccumulator(1, 8);
    h.sent(1, 0, 1000);
    h.sent(2, 1, 2000);
    h.resolve(1, ok('192.0.2.1', 1.5));
    const hop = h.snapshot();
    expect(hop.sent).toBe(2);
    expect(hop.received).toBe(1);
    expect(hop.lossPct).toBe(0);
    expect(hop.samples).toEqual([{ round: 0, at: 1000, result: 'ttl-expired', address: '192.0.2.1', rttMs: 1.5 }]);
    expect(h.counters()).toMatchObject({ sent: 2, received: 1, lost: 0, pending: 1 });
  });

  it('counts no-reply and errors such as no-route as lost', () => {
    const h = new HopAccumulator(1, 8);
    for (let i = 0; i < 4; i++) h.sent(i, i, i * 1000);
    h.resolve(0, ok('192.0.2.1', 1));
    h.resolve(1, noReply);
    h.resolve(2, noRoute);
    h.resolve(3, ok('192.0.2.1', 3));
    const hop = h.snapshot();
    expect(hop.lossPct).toBe(50);
    expect(hop.samples.map((s) => s.result)).toEqual(['ttl-expired', 'no-reply', 'no-route', 'ttl-expired']);
  });

  it('shows a presumed-lost probe as no-reply and lets a late reply flip it back', () => {
    const h = new HopAccumulator(2, 8);
    h.sent(10, 0, 0);
    h.sent(11, 1, 1000);
    h.resolve(10, ok('198.51.100.1', 2));
    expect(h.presumeLost(11)).toBe(true);
    let hop = h.snapshot();
    expect(hop.lossPct).toBe(50);
    expect(hop.samples[1]).toEqual({ round: 1, at: 1000, result: 'no-reply', address: null, rttMs: null });

    // The late reply still counts.
    expect(h.resolve(11, ok('198.51.100.1', 900))).toBe(true);
    hop = h.snapshot();
    expect(hop.lossPct).toBe(0);
    expect(hop.received).toBe(2);
    expect(hop.hosts[0]?.received).toBe(2);
    expect(hop.hosts[0]?.worstMs).toBe(900);
    expect(hop.samples[1]).toMatchObject({ result: 'ttl-expired', rttMs: 900 });

    // Anything further for that id is unknown now.
    expect(h.resolve(11, ok('198.51.100.1', 5))).toBe(false);
    expect(h.counters().ignoredResults).toBe(1);
    expect(h.snapshot().received).toBe(2);
  });

  it("keeps a presumed-lost probe lost when mtr-packet's own no-reply arrives", () => {
    const h = new HopAccumulator(2, 8);
    h.sent(1, 0, 0);
    h.presumeLost(1);
    expect(h.presumeLost(1)).toBe(false);
    h.resolve(1, noReply);
    expect(h.counters()).toMatchObject({ sent: 1, received: 0, lost: 1, pending: 0 });
    expect(h.snapshot().lossPct).toBe(100);
  });

  it('ignores but counts results for ids never sent', () => {
    const h = new HopAccumulator(2, 8);
    expect(h.resolve(99, ok('192.0.2.1', 1))).toBe(false);
    expect(h.presumeLost(99)).toBe(false);
    expect(h.counters()).toMatchObject({ sent: 0, received: 0, ignoredResults: 1 });
    expect(h.snapshot().hosts).toEqual([]);
  });

  it('keeps per-responder statistics for ECMP, sorted by replies', () => {
    const h = new HopAccumulator(5, 32);
    const plan: [string, number][] = [
      ['203.0.113.1', 10],
      ['203.0.113.2', 20],
      ['203.0.113.2', 22],
      ['203.0.113.3', 30],
      ['203.0.113.2', 24],
      ['203.0.113.1', 12],
    ];
    plan.forEach(([addr, ms], i) => {
      h.sent(i, i, i);
      h.resolve(i, ok(addr, ms));
    });
    const names: Record<string, string> = { '203.0.113.2': 'b.example.net' };
    const hop = h.snapshot((a) => names[a] ?? null);
    expect(hop.hosts.map((x) => [x.address, x.received, x.hostname])).toEqual([
      ['203.0.113.2', 3, 'b.example.net'],
      ['203.0.113.1', 2, null],
      ['203.0.113.3', 1, null],
    ]);
    const b = hop.hosts[0];
    expect(b?.avgMs).toBe(22);
    expect(b?.bestMs).toBe(20);
    expect(b?.worstMs).toBe(24);
    expect(b?.lastMs).toBe(24);
    expect(b?.stdevMs).toBe(2);
    expect(b?.jitterMs).toBe(2);
    expect(hop.hosts[2]?.stdevMs).toBe(0);
    expect(hopSchema.safeParse(hop).success).toBe(true);
  });

  it('dedupes MPLS labels per responder', () => {
    const h = new HopAccumulator(4, 8);
    const l1: MplsLabel = { label: 24001, trafficClass: 0, bottomOfStack: false, ttl: 1 };
    const l2: MplsLabel = { label: 16, trafficClass: 0, bottomOfStack: true, ttl: 1 };
    for (let i = 0; i < 5; i++) {
      h.sent(i, i, i);
      h.resolve(i, ok(i === 4 ? '192.0.2.9' : '192.0.2.8', 5, i % 2 ? [l1, l2] : [{ ...l1 }]));
    }
    const hop = h.snapshot();
    expect(hop.hosts[0]?.mpls).toEqual([l1, l2]);
    expect(hop.hosts[1]?.mpls).toEqual([l1]);
  });

  it('bounds the MPLS labels kept per responder', () => {
    const h = new HopAccumulator(4, 8);
    for (let i = 0; i < 100; i++) {
      h.sent(i, i, i);
      h.resolve(i, ok('192.0.2.8', 5, [{ label: i, trafficClass: 0, bottomOfStack: true, ttl: 1 }]));
    }
    expect(h.snapshot().hosts[0]?.mpls).toHaveLength(MAX_MPLS_LABELS_PER_RESPONDER);
  });

  it('keeps memory flat over 1e5 probes: samples stay at capacity, pending map bounded', () => {
    const capacity = 64;
    const h = new HopAccumulator(7, capacity);
    for (let i = 0; i < 100_000; i++) {
      h.sent(i, i, i * 10);
      if (i % 10 === 9) h.resolve(i, noReply);
      else h.resolve(i, ok(`10.0.${i % 3}.1`, (i % 50) / 10));
    }
    const hop = h.snapshot();
    expect(hop.samples).toHaveLength(capacity);
    expect(hop.samples[0]?.round).toBe(100_000 - capacity);
    expect(hop.samples[capacity - 1]?.round).toBe(99_999);
    expect(hop.sent).toBe(100_000);
    expect(hop.received).toBe(90_000);
    expect(hop.lossPct).toBeCloseTo(10, 9);
    expect(hop.hosts).toHaveLength(3);
  });

  it('finalises the oldest unanswered probes as lost when the pending map is full', () => {
    const h = new HopAccumulator(7, 4, { maxTrackedProbes: 3 });
    for (let i = 0; i < 5; i++) h.sent(i, i, i);
    // Probes 0 and 1 were evicted: counted as lost, their late replies ignored.
    expect(h.counters()).toMatchObject({ sent: 5, lost: 2, pending: 3 });
    expect(h.resolve(0, ok('192.0.2.1', 1))).toBe(false);
    expect(h.resolve(4, ok('192.0.2.1', 1))).toBe(true);
    expect(h.counters()).toMatchObject({ received: 1, lost: 2, pending: 2, ignoredResults: 1 });
    expect(h.snapshot().samples.map((s) => [s.round, s.result])).toEqual([
      [1, 'no-reply'],
      [4, 'ttl-expired'],
    ]);
  });

  it('keeps sent = received + lost + pending and a valid Hop under any event order (property)', () => {
    type Ev = { kind: 'send' } | { kind: 'ok' | 'fail' | 'presume'; pick: number };
    const ev: fc.Arbitrary<Ev> = fc.oneof(
      fc.constant<Ev>({ kind: 'send' }),
      fc.record({ kind: fc.constantFrom<'ok' | 'fail' | 'presume'>('ok', 'fail', 'presume'), pick: fc.nat(40) }),
    );
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 200 }), fc.integer({ min: 1, max: 10 }), (events, cap) => {
        const h = new HopAccumulator(9, cap, { maxTrackedProbes: 16 });
        let next = 0;
        for (const e of events) {
          if (e.kind === 'send') h.sent(next, next, next++);
          else if (e.kind === 'ok') h.resolve(e.pick, ok(`192.0.2.${e.pick % 4}`, e.pick));
          else if (e.kind === 'fail') h.resolve(e.pick, noReply);
          else h.presumeLost(e.pick);
        }
        const c = h.counters();
        expect(c.sent).toBe(next);
        expect(c.received + c.lost + c.pending).toBe(c.sent);
        const hop = h.snapshot();
        expect(hopSchema.safeParse(hop).success).toBe(true);
        expect(hop.samples.length).toBeLessThanOrEqual(cap);
        expect(hop.hosts.reduce((a, x) => a + x.received, 0)).toBe(hop.received);
        const done = c.received + c.lost;
        expect(hop.lossPct).toBe(done === 0 ? 0 : (100 * c.lost) / done);
      }),
      { numRuns: 300 },
    );
  });

  it('takes local results (LOCAL_RESULT_KINDS) out of sent, and out of lost when they replace a presumed loss', () => {
    const h = new HopAccumulator(2, 8);
    for (let i = 0; i < 4; i++) h.sent(i, i, i);
    h.resolve(0, ok('192.0.2.1', 1));
    h.resolve(1, local('probes-exhausted'));
    h.presumeLost(2);
    expect(h.counters()).toMatchObject({ sent: 3, received: 1, lost: 1, pending: 1 });
    h.resolve(2, local('helper-stalled'));
    h.resolve(3, local('helper-restarted'));
    expect(h.counters()).toMatchObject({ sent: 1, received: 1, lost: 0, pending: 0 });
    const hop = h.snapshot();
    expect(hop.lossPct).toBe(0);
    expect(hop.samples.map((s) => s.result)).toEqual([
      'ttl-expired',
      'probes-exhausted',
      'helper-stalled',
      'helper-restarted',
    ]);
  });

  it('counts a router answering unreachable (no-route with its address) as an answer from that router', () => {
    const h = new HopAccumulator(3, 8);
    h.sent(1, 0, 0);
    h.sent(2, 1, 1);
    h.resolve(1, {
      success: false,
      result: 'no-route',
      timeMs: 4,
      responder: '192.0.2.3',
      mpls: [],
      reason: 'no-route-host',
    });
    h.resolve(2, noRoute); // local: no address, still loss
    const hop = h.snapshot();
    expect(hop).toMatchObject({ sent: 2, received: 1, lossPct: 50 });
    expect(hop.hosts).toEqual([expect.objectContaining({ address: '192.0.2.3', received: 1, lastMs: 4 })]);
    expect(hop.samples[0]).toEqual({ round: 0, at: 0, result: 'no-route', address: '192.0.2.3', rttMs: 4 });
  });

  it('hands out each changed sample once, as it is now, and statistics without touching the samples', () => {
    const h = new HopAccumulator(2, 4);
    for (let i = 0; i < 3; i++) h.sent(i, i, i);
    h.presumeLost(0);
    h.resolve(1, ok('192.0.2.1', 1));
    expect(h.takeChangedSamples().map((s) => [s.round, s.result])).toEqual([
      [0, 'no-reply'],
      [1, 'ttl-expired'],
    ]);
    expect(h.takeChangedSamples()).toEqual([]);
    h.resolve(0, ok('192.0.2.1', 700)); // late reply: the same round, corrected
    expect(h.takeChangedSamples()).toEqual([
      { round: 0, at: 0, result: 'ttl-expired', address: '192.0.2.1', rttMs: 700 },
    ]);
    const { samples, ...stats } = h.snapshot();
    expect(h.stats()).toEqual(stats);
    expect(samples).toHaveLength(2);
  });
});
