import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { SessionEventBatch, SessionSummary } from '@shared/session';
import type { Sample } from '@shared/traceFile';
import { buildWindowDocument, HistoryStore, SessionRecorder } from '../../../src/main/history';
import { hop, host, summary as sessionSummary } from '../../fixtures/traceBuilders';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-recorder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 10, 1, 12);
const icmp = traceOptionsSchema.parse({ target: 'target.test', intervalSec: 1 });
const udp = traceOptionsSchema.parse({ target: 'target.test', protocol: 'udp', intervalSec: 1 });

function summary(over: Partial<SessionSummary>): SessionSummary {
  return sessionSummary({
    id: 'live-1',
    options: icmp,
    targetAddress: '198.51.100.9',
    destinationTtl: 2,
    startedAt: T0,
    ...over,
  });
}

const reply = (round: number, ttl: number, rttMs: number): Sample => ({
  round,
  at: T0 + round * 1000,
  result: ttl === 2 ? 'reply' : 'ttl-expired',
  address: ttl === 2 ? '198.51.100.9' : '198.51.100.1',
  rttMs,
});
const lost = (round: number): Sample => ({
  round,
  at: T0 + round * 1000,
  result: 'no-reply',
  address: null,
  rttMs: null,
});

let seq = 0;
const batch = (events: SessionEventBatch['events']): SessionEventBatch => ({ sessionId: 'live-1', seq: seq++, events });
const hops = (samples: { ttl: number; samples: Sample[] }[]): SessionEventBatch['events'][number] => ({
  type: 'hops',
  hops: [
    hop(
      1,
      [
        host('198.51.100.1', {
          received: 1,
          lastMs: 1,
          avgMs: 1,
          bestMs: 1,
          worstMs: 1,
          stdevMs: 0,
          jitterMs: 0,
          mpls: [{ label: 100, trafficClass: 0, bottomOfStack: true, ttl: 1 }],
        }),
      ],
      { sent: 0, received: 0, lossPct: 0 },
    ),
  ],
  samples,
});

describe('SessionRecorder', () => {
  it('records samples, segments per restart, late replies, names, markers and the final summary', async () => {
    const path = join(dir, 'rec.duckdb');
    const store = await HistoryStore.open(path);
    let clock = T0;
    const recorder = new SessionRecorder(store, () => clock);
    recorder.onBatch(batch([{ type: 'state', summary: summary({ state: 'running' }) }]));
    recorder.onBatch(
      batch([
        hops([
          { ttl: 1, samples: [reply(0, 1, 1), reply(1, 1, 2)] },
          { ttl: 2, samples: [reply(0, 2, 5), lost(1)] },
        ]),
        { type: 'path-changed', ttl: 1, address: '198.51.100.1' },
        { type: 'hostname', address: '198.51.100.1', hostname: 'r1.test' },
      ]),
    );
    await store.flush();
    // A late reply for round 1 at TTL 2, after the presumed loss is already on disk.
    recorder.onBatch(batch([hops([{ ttl: 2, samples: [reply(1, 2, 7)] }])]));
    // Options change: a restart at round 2 starts segment 1.
    clock = T0 + 2000;
    const restarted = summary({ options: udp, restarts: [{ at: T0 + 2000, round: 2 }], rounds: 2 });
    recorder.onBatch(batch([{ type: 'state', summary: restarted }]));
    recorder.onBatch(
      batch([
        hops([
          { ttl: 1, samples: [reply(2, 1, 3)] },
          { ttl: 2, samples: [reply(2, 2, 6)] },
        ]),
      ]),
    );
    clock = T0 + 3000;
    await recorder.finish({ ...restarted, state: 'finished', rounds: 3 });
    await store.close();

    const read = await HistoryStore.open(path, { readOnly: true });
    const [session] = await read.sessions();
    expect(session).toMatchObject({ uid: 'live-1', state: 'finished', rounds: 3, target: 'target.test', samples: 6 });
    expect(session?.endedAt).toBe(T0 + 3000);
    const id = session?.session ?? 0;
    const samples = await read.samples(id);
    expect(samples.map((s) => [s.ttl, s.round, s.segment, s.result, s.rttMs])).toEqual([
      [1, 0, 0, 'ttl-expired', 1],
      [1, 1, 0, 'ttl-expired', 2],
      [1, 2, 1, 'ttl-expired', 3],
      [2, 0, 0, 'reply', 5],
      [2, 1, 0, 'reply', 7],
      [2, 2, 1, 'reply', 6],
    ]);
    expect(samples[0]?.mpls).toEqual([{ label: 100, trafficClass: 0, bottomOfStack: true, ttl: 1 }]);
    expect((await read.segments(id)).map((s) => [s.segment, s.firstRound, s.reason, s.options['protocol']])).toEqual([
      [0, 0, 'start', 'icmp'],
      [1, 2, 'restart', 'udp'],
    ]);
    expect((await read.events(id)).map((e) => e.kind)).toEqual(['path-changed', 'restart', 'state']);
    expect(await read.hostnames(id)).toEqual(new Map([['198.51.100.1', 'r1.test']]));

    // The first segment's window as a trace document: options of that segment, names, no loss after the late reply.
    const { document } = await buildWindowDocument(read, session!, { to: T0 + 2000 }, { jitter: true });
    expect(document.options.protocol).toBe('icmp');
    expect(document.rounds).toBe(2);
    expect(document.hops.map((h) => [h.ttl, h.sent, h.received, h.lossPct])).toEqual([
      [1, 2, 2, 0],
      [2, 2, 2, 0],
    ]);
    expect(document.hops[0]?.hosts[0]?.hostname).toBe('r1.test');
    expect(document.destinationReached).toBe(true);
    const whole = await buildWindowDocument(read, session!, {});
    expect(whole.document.options.protocol).toBe('udp');
    expect(whole.document.restarts).toEqual([{ at: T0 + 2000, round: 2 }]);
    await read.close();
  });

  it('records owners and helper markers, and a continuation after the stored rounds and segments', async () => {
    const path = join(dir, 'owners.duckdb');
    const store = await HistoryStore.open(path);
    const owner = {
      as: { asn: 64500, organisation: 'Example Net', origin: 'shipped' as const, dataDate: '2026-11-01' },
    };
    const first = new SessionRecorder(store, () => T0);
    const stalled = { kind: 'helper-stalled' as const, at: T0 + 1500, round: 1, detail: 'no answer for 5 s' };
    first.onBatch(batch([{ type: 'state', summary: summary({ state: 'running' }) }]));
    first.onBatch(batch([hops([{ ttl: 1, samples: [reply(0, 1, 1), reply(1, 1, 2)] }])]));
    first.onBatch(batch([{ type: 'owner', address: '198.51.100.1', owner }]));
    // Markers come again in every later summary: each is recorded once.
    for (let i = 0; i < 2; i++) first.onBatch(batch([{ type: 'state', summary: summary({ markers: [stalled] }) }]));
    await first.finish(summary({ state: 'stopped', rounds: 2, markers: [stalled] }));

    const again = new SessionRecorder(store, () => T0 + 60_000, { session: 1, firstSegment: 1, firstRound: 2 });
    const restarted = { kind: 'helper-restarted' as const, at: T0 + 61_000, round: 0 };
    const later = { id: 'live-2', startedAt: T0 + 60_000, rounds: 1 };
    again.onBatch(batch([{ type: 'state', summary: summary({ ...later, state: 'running', markers: [restarted] }) }]));
    again.onBatch(batch([hops([{ ttl: 1, samples: [{ ...reply(0, 1, 3), at: T0 + 60_000 }] }])]));
    await again.finish(summary({ ...later, state: 'finished', markers: [restarted] }));
    await store.close();

    const read = await HistoryStore.open(path, { readOnly: true });
    const [session, ...others] = await read.sessions();
    expect(others).toEqual([]);
    expect(session).toMatchObject({ uid: 'live-2', rounds: 3, samples: 3, state: 'finished' });
    expect((await read.samples(1)).map((s) => [s.round, s.segment])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
    expect((await read.segments(1)).map((g) => [g.segment, g.firstRound, g.reason])).toEqual([
      [0, 0, 'start'],
      [1, 2, 'continued'],
    ]);
    const markers = (await read.events(1)).filter((e) => e.kind.startsWith('helper-'));
    expect(markers.map((e) => [e.kind, e.at, JSON.parse(e.detail ?? '{}')])).toEqual([
      ['helper-stalled', T0 + 1500, { round: 1, detail: 'no answer for 5 s' }],
      ['helper-restarted', T0 + 61_000, { round: 2 }],
    ]);
    const { document } = await buildWindowDocument(read, session!, {});
    expect(document.hops[0]?.hosts[0]).toMatchObject({ address: '198.51.100.1', owner });
    await read.close();
  });

  it("files a statistics reset as a segment with reason 'reset', an options change as 'restart'", async () => {
    const path = join(dir, 'reset.duckdb');
    const store = await HistoryStore.open(path);
    const recorder = new SessionRecorder(store, () => T0);
    const restarts = [
      { at: T0 + 2000, round: 2 },
      { at: T0 + 4000, round: 4 },
    ];
    const reset = { kind: 'statistics-reset' as const, ...restarts[0]! };
    const changed = { kind: 'options-changed' as const, ...restarts[1]! };
    recorder.onBatch(batch([{ type: 'state', summary: summary({ state: 'running' }) }]));
    recorder.onBatch(batch([{ type: 'state', summary: summary({ restarts, markers: [reset, changed] }) }]));
    await recorder.finish(summary({ state: 'stopped', rounds: 5, restarts, markers: [reset, changed] }));
    await store.close();

    const read = await HistoryStore.open(path, { readOnly: true });
    expect((await read.segments(1)).map((g) => [g.segment, g.firstRound, g.reason])).toEqual([
      [0, 0, 'start'],
      [1, 2, 'reset'],
      [2, 4, 'restart'],
    ]);
    await read.close();
  });
});
