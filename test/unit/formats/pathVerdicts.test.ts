import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  endToEnd,
  isSynRetransmitRtt,
  judgePath,
  lossContinuesDownstream,
  synRetransmitRounds,
} from '@shared/pathVerdicts';
import { formatReport } from '@shared/formats/report';
import { toMtrCsv, MTR_CSV_HEADER } from '@shared/formats/mtrCsv';
import { formatMtrJson } from '@shared/formats/mtrJson';
import { PROTOCOLS } from '@shared/probe';
import type { Hop, Sample } from '@shared/traceFile';
import { buildTraceDocument } from '@shared/traceDocument';
import { handMade } from './fixtures';
import { namedHost, traceDocument, silent, summary } from '../../fixtures/traceBuilders';

function lossy(ttl: number, lossPct: number, address: string, samples: Sample[] = []): Hop {
  const sent = 100;
  const received = sent - lossPct;
  return {
    ttl,
    sent,
    received,
    lossPct,
    hosts: [namedHost(address, null, received, { lastMs: 1, avgMs: 1, bestMs: 0.5, worstMs: 2, stdevMs: 0.1 })],
    samples,
  };
}

// The classic mtr false alarm: a router that rate-limits its ICMP replies shows 70 % loss, the path beyond none.
const rateLimited = traceDocument(
  [lossy(1, 0, '10.0.0.1'), lossy(2, 70, '10.0.0.2'), lossy(3, 0, '10.0.0.3'), lossy(4, 0, '198.51.100.10')],
  { target: { input: 'example.net', address: '198.51.100.10', ipVersion: 4 } },
);
// Real loss on the path: it starts at hop 2 and carries on to the destination.
const realLoss = traceDocument(
  [lossy(1, 0, '10.0.0.1'), lossy(2, 30, '10.0.0.2'), lossy(3, 28, '10.0.0.3'), lossy(4, 31, '198.51.100.10')],
  { target: { input: 'example.net', address: '198.51.100.10', ipVersion: 4 } },
);

const sample = (round: number, rttMs: number | null): Sample => ({
  round,
  at: 1_772_362_800_000 + round * 1000,
  result: rttMs === null ? 'no-reply' : 'reply',
  address: rttMs === null ? null : '198.51.100.10',
  rttMs,
});

describe('loss that the path does not carry', () => {
  it('is a router limiting its replies when later hops lose clearly less', () => {
    expect(judgePath(rateLimited).hops.map((v) => v.lossContinuesDownstream)).toEqual([null, false, null, null]);
    expect(judgePath(realLoss).hops.map((v) => v.lossContinuesDownstream)).toEqual([null, true, true, null]);
  });

  it('judges nothing without loss or without an answering hop downstream', () => {
    expect(lossContinuesDownstream({ sent: 0, lossPct: 0, hosts: [] }, [])).toBeNull();
    expect(lossContinuesDownstream(lossy(2, 50, 'a'), [silent(3, 100)])).toBeNull();
  });

  it('is false exactly when every answering later hop loses under half as much (property)', () => {
    const figures = fc.record({
      sent: fc.integer({ min: 1, max: 50 }),
      lossPct: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(figures, fc.array(figures, { minLength: 1, maxLength: 6 }), (hop, later) => {
        const verdict = lossContinuesDownstream(
          { ...hop, hosts: [1] },
          later.map((h) => ({ ...h, hosts: [1] })),
        );
        if (hop.lossPct === 0) expect(verdict).toBeNull();
        else expect(verdict).toBe(Math.min(...later.map((h) => h.lossPct)) >= hop.lossPct / 2);
      }),
    );
  });

  it('is a footnote under the report, a note in the CSV row and a field in the JSON verdicts', () => {
    const report = formatReport(rateLimited, { localHost: 'testbox' });
    expect(report).toContain(
      'Note: hop 2 (10.0.0.2) loses 70.0%, but later hops do not: this router limits its ICMP replies; not loss on the path.',
    );
    expect(formatReport(realLoss, { localHost: 'testbox' })).not.toContain('Note:');
    const csv = toMtrCsv(rateLimited).split('\n');
    expect(csv[0]).toBe(MTR_CSV_HEADER);
    expect(csv[2]).toMatch(/,2,10\.0\.0\.2,70\.00,.*,loss not carried downstream$/);
    expect(csv[1]).toMatch(/,0\.10,$/);
    // The silent hop of the hand-made trace: later hops answer, so its "loss" is not the path's.
    expect(formatReport(handMade)).toContain(
      'Note: hop 2 (???) does not answer, but later hops do: not loss on the path.',
    );
  });

  it('leaves --mtr-compat output exactly as mtr writes it', () => {
    expect(formatReport(rateLimited, { mtrCompat: true })).not.toMatch(/Note:|End to end/);
    expect(toMtrCsv(rateLimited, { mtrCompat: true }).split('\n')[2]).toMatch(/,0\.10$/);
    expect(formatMtrJson(rateLimited)).not.toMatch(/verdict|loss not carried/i);
  });
});

describe('end to end', () => {
  it('says the loss and latency at the destination', () => {
    expect(endToEnd(realLoss)).toEqual({
      destinationReached: true,
      ttl: 4,
      address: '198.51.100.10',
      lossPct: 31,
      avgMs: 1,
      bestMs: 0.5,
      worstMs: 2,
    });
    expect(formatReport(realLoss)).toContain(
      'End to end: 31.0% loss, latency avg 1.0 ms (best 0.5, worst 2.0) at the destination 198.51.100.10 (hop 4).',
    );
  });

  it('says where the path was last heard from when the destination was not reached', () => {
    const lost = traceDocument([lossy(1, 0, '10.0.0.1'), silent(2, 100), silent(3, 100)], {
      destinationReached: false,
    });
    expect(endToEnd(lost)).toMatchObject({ destinationReached: false, ttl: 1, address: '10.0.0.1' });
    expect(formatReport(lost)).toContain('End to end: destination not reached; last answer from 10.0.0.1 (hop 1)');
    expect(endToEnd(traceDocument([silent(1, 3)], { destinationReached: false })).ttl).toBeNull();
  });
});

describe('TCP SYN retransmissions', () => {
  it("flags RTTs just after the kernel's SYN retransmission times, with TCP only", () => {
    // Seen on this kernel (linear SYN timeouts): 1000.4, 1031.4, 2046.2, 3068.7 ms.
    for (const rtt of [1000.4, 1031.4, 2046.2, 3068.7, 4002, 7010])
      expect(isSynRetransmitRtt(rtt, 'tcp'), `${rtt}`).toBe(true);
    expect(isSynRetransmitRtt(1115, 'tcp', 20)).toBe(true);
    expect(isSynRetransmitRtt(1125, 'tcp', 20)).toBe(false);
    for (const rtt of [990, 1200, 2500, 5000, 0.4]) expect(isSynRetransmitRtt(rtt, 'tcp'), `${rtt}`).toBe(false);
    expect(isSynRetransmitRtt(1000.4, undefined)).toBe(false);
  });

  it('never flags a probe that is not TCP (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PROTOCOLS.filter((p) => p !== 'tcp')),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (protocol, rtt) => {
          expect(isSynRetransmitRtt(rtt, protocol)).toBe(false);
        },
      ),
    );
  });

  const tcpDoc = (protocol: 'tcp' | 'icmp') =>
    traceDocument(
      [
        {
          ...lossy(1, 0, '198.51.100.10'),
          samples: [
            sample(0, 0.4),
            sample(1, 1000.5),
            sample(2, 0.5),
            sample(3, null),
            sample(4, 3068.7),
            sample(5, 1500),
          ],
        },
      ],
      {
        target: { input: '198.51.100.10', address: '198.51.100.10', ipVersion: 4 },
        options: { protocol, count: 5, firstTtl: 1, maxTtl: 30, intervalSec: 1, timeoutSec: 10, dns: false },
      },
    );

  it('lists the rounds, and the report and CSV say they are not latency', () => {
    expect(synRetransmitRounds(tcpDoc('tcp').hops[0]!, 'tcp')).toEqual([1, 4]);
    expect(judgePath(tcpDoc('icmp')).hops[0]?.synRetransmitRounds).toEqual([]);
    expect(formatReport(tcpDoc('tcp'))).toContain(
      'Note: hop 1 (198.51.100.10): 2 replies came whole seconds late because TCP re-sent the SYN: Last/Wrst include them; they are not latency.',
    );
    expect(toMtrCsv(tcpDoc('tcp')).split('\n')[1]).toMatch(/,2 TCP SYN retransmissions \(not latency\)$/);
    expect(formatReport(tcpDoc('icmp'))).not.toContain('SYN');
  });
});

describe('report header and precision', () => {
  const fast = traceDocument(
    [
      {
        ...lossy(1, 0, '127.0.0.1'),
        hosts: [
          namedHost('127.0.0.1', null, 3, {
            lastMs: 0.043,
            avgMs: 0.05,
            bestMs: 0.031,
            worstMs: 0.072,
            stdevMs: 0.004,
          }),
        ],
      },
    ],
    {
      target: { input: '127.0.0.1', address: '127.0.0.1', ipVersion: 4 },
      createdAt: '2026-03-01T12:05:00.000+01:00',
      startedAt: '2026-03-01T12:00:00.000+01:00',
      host: 'recorded-box',
    },
  );

  it("prints RTTs under 0.1 ms with their digits, and mtr's 0.0 in --mtr-compat", () => {
    expect(formatReport(fast).split('\n')[2]).toBe(
      '  1.|-- 127.0.0.1                  0.0%   100  0.043 0.050 0.031 0.072 0.004',
    );
    expect(formatReport(fast, { mtrCompat: true }).split('\n')[2]).toBe(
      '  1.|-- 127.0.0.1                  0.0%   100    0.0   0.1   0.0   0.1   0.0',
    );
  });

  it("starts at the session's start, and names the recording machine unless told otherwise", () => {
    expect(formatReport(fast).split('\n').slice(0, 2)).toEqual([
      'Start: 2026-03-01T12:00:00+0100',
      'HOST: recorded-box                Loss%   Snt   Last   Avg  Best  Wrst StDev',
    ]);
    expect(formatReport(fast, { localHost: 'vm' }).split('\n')[1]).toMatch(/^HOST: vm /);
    expect(formatReport({ ...fast, startedAt: undefined, createdAt: undefined }).split('\n')[0]).toBe('Start: unknown');
  });

  it('a document built from a session keeps its start and its machine, however late it is printed', () => {
    const session = summary(
      {
        id: 's',
        state: 'finished',
        targetAddress: '127.0.0.1',
        destinationTtl: 1,
        rounds: 2,
        startedAt: Date.parse('2026-03-01T11:00:00Z'),
        host: 'probe-box',
      },
      { target: '127.0.0.1', count: 2 },
    );
    const doc = buildTraceDocument(session, fast.hops, new Date('2026-03-01T11:45:00Z'));
    expect(formatReport(doc).split('\n').slice(0, 2)).toEqual([
      'Start: 2026-03-01T11:00:00+0000',
      'HOST: probe-box                   Loss%   Snt   Last   Avg  Best  Wrst StDev',
    ]);
  });
});
