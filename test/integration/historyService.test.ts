/**
 * The app's session history end to end: a TraceService recording into a real
 * DuckDB file while the real mtr-packet probes the namespace network, and the
 * stored-session calls reading it back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';
import { call, makeService, samplesOf } from './historyServiceHarness';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithNetwork('TraceService history on a real namespace network', (getNet) => {
  it('records a session; the stored-session calls list, open, chart and delete it', async () => {
    const net = getNet();
    const { service, stateOf } = makeService(net, join(dir, 'history.duckdb'));
    try {
      const ROUNDS = 12;
      const started = await call(
        service.dispatch('startSession', { target: net.target.v4, count: ROUNDS, intervalSec: 0.05, dns: false }),
      );
      await expect.poll(() => stateOf(started.id), { timeout: 30_000 }).toBe('finished');

      const listed = await call(service.dispatch('listStoredSessions', undefined));
      expect(listed.history).toEqual({ state: 'recording', path: join(dir, 'history.duckdb') });
      expect(listed.sessions).toHaveLength(1);
      const stored = listed.sessions[0]!;
      expect(stored).toMatchObject({ uid: started.id, target: net.target.v4, state: 'finished', live: true });
      expect(stored.samples).toBe(ROUNDS * net.hops.length);
      expect(stored.approxBytes).toBeGreaterThan(0);

      // The stored document holds exactly the samples the live session exports, every one of them.
      const live = traceDocumentSchema.parse(
        await call(service.dispatch('getSessionDocument', { sessionId: started.id })),
      );
      const opened = traceDocumentSchema.parse(await call(service.dispatch('openStoredSession', { id: stored.id })));
      expect(samplesOf(opened)).toEqual(samplesOf(live));
      expect(opened.hops.every((h) => h.samples.length === ROUNDS)).toBe(true);
      expect(opened.segments).toHaveLength(1);
      expect(opened.segments![0]).toMatchObject({ index: 0, firstRound: 0, rounds: ROUNDS });
      expect(opened.target).toEqual(live.target);
      expect(opened.hops.map((h) => [h.ttl, h.sent, h.received])).toEqual(
        live.hops.map((h) => [h.ttl, h.sent, h.received]),
      );

      // Exported as JSON (what Export JSON writes), it opens again with every sample and segment.
      const reimported = await call(
        service.dispatch('importTraceText', { fileName: 'session.json', text: JSON.stringify(opened, null, 2) }),
      );
      if (!reimported.ok) throw new Error(reimported.error);
      expect(reimported.document.version).toBe(2);
      expect(samplesOf(reimported.document)).toEqual(samplesOf(live));
      expect(reimported.document.segments).toEqual(opened.segments);

      // A timeline has exactly the buckets asked for, and they add up to the hop's probes.
      const times = opened.hops.flatMap((h) => h.samples.map((s) => s.at));
      const from = Math.min(...times);
      const to = Math.max(...times) + 1;
      const lastTtl = opened.hops.at(-1)!.ttl;
      const timeline = await call(
        service.dispatch('getTimeline', { id: stored.id, ttl: lastTtl, from, to, buckets: 37 }),
      );
      expect(timeline).toHaveLength(37);
      expect(timeline.reduce((n, b) => n + b.sent, 0)).toBe(ROUNDS);
      expect(timeline.some((b) => b.avgMs !== null)).toBe(true);

      const stats = await call(service.dispatch('getWindowStats', { id: stored.id, from, to }));
      expect(stats.rounds).toBe(ROUNDS);
      const destination = stats.hops.find((h) => h.ttl === lastTtl)!;
      expect(destination).toMatchObject({ sent: ROUNDS, received: ROUNDS, lossPct: 0 });
      expect(destination.p50Ms).not.toBeNull();
      expect(destination.p99Ms!).toBeGreaterThanOrEqual(destination.p50Ms!);

      // Still the app's live session: it cannot be deleted under the recorder.
      const refused = await service.dispatch('deleteStoredSession', { id: stored.id });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'failed', message: expect.stringMatching(/recorded/) },
      });
      await call(service.dispatch('closeSession', { sessionId: started.id }));
      await expect
        .poll(async () => (await call(service.dispatch('listStoredSessions', undefined))).sessions[0]?.live)
        .toBe(false);

      await call(service.dispatch('deleteStoredSession', { id: stored.id }));
      expect((await call(service.dispatch('listStoredSessions', undefined))).sessions).toEqual([]);
      const gone = await service.dispatch('openStoredSession', { id: stored.id });
      expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
    } finally {
      await service.dispose();
    }
  });

  it('records every segment; a later run of the app reopens the same document', async () => {
    const net = getNet();
    const path = join(dir, 'segments.duckdb');
    const first = makeService(net, path);
    const base = { target: net.target.v4, count: null, intervalSec: 0.05, dns: false };
    const s = await call(first.service.dispatch('startSession', base));
    const storedSamples = async () =>
      (await call(first.service.dispatch('listStoredSessions', undefined))).sessions[0]?.samples ?? 0;
    await expect.poll(storedSamples, { timeout: 20_000 }).toBeGreaterThan(3 * net.hops.length);
    await call(
      first.service.dispatch('updateSession', { sessionId: s.id, options: { ...base, count: 4, protocol: 'udp' } }),
    );
    await expect.poll(() => first.stateOf(s.id), { timeout: 30_000 }).toBe('finished');
    const live = traceDocumentSchema.parse(
      await call(first.service.dispatch('getSessionDocument', { sessionId: s.id })),
    );
    const openedLive = traceDocumentSchema.parse(await call(first.service.dispatch('openStoredSession', { id: 1 })));
    const exported = await call(
      first.service.dispatch('importTraceText', { fileName: 's.json', text: JSON.stringify(openedLive) }),
    );
    await first.service.dispose();

    expect(live.segments).toHaveLength(2);
    expect(openedLive.segments?.map((g) => [g.index, g.options.protocol])).toEqual([
      [0, 'icmp'],
      [1, 'udp'],
    ]);
    const bySegment = (doc: TraceDocument) =>
      doc.segments!.map((g) =>
        samplesOf({ ...doc, hops: g.index === doc.segments!.at(-1)!.index ? doc.hops : g.hops! }),
      );
    expect(bySegment(openedLive)).toEqual(bySegment(live));
    if (!exported.ok) throw new Error(exported.error);
    expect(bySegment(exported.document)).toEqual(bySegment(live));

    const second = makeService(net, path);
    try {
      const listed = await call(second.service.dispatch('listStoredSessions', undefined));
      expect(listed.sessions).toHaveLength(1);
      expect(listed.sessions[0]).toMatchObject({ uid: s.id, live: false, state: 'finished' });
      expect(listed.sessions[0]!.endedAt).not.toBeNull();
      const reopened = traceDocumentSchema.parse(await call(second.service.dispatch('openStoredSession', { id: 1 })));
      expect(bySegment(reopened)).toEqual(bySegment(live));
    } finally {
      await second.service.dispose();
    }
  });

  it('a corrupt history file: a clear error, the file untouched, and tracing still works', async () => {
    const net = getNet();
    const path = join(dir, 'corrupt.duckdb');
    const garbage = Buffer.from('this is not a database, just some bytes that happen to be here\n'.repeat(100));
    writeFileSync(path, garbage);
    const { service, stateOf } = makeService(net, path);
    try {
      const listed = await call(service.dispatch('listStoredSessions', undefined));
      expect(listed.sessions).toEqual([]);
      expect(listed.history.state).toBe('failed');
      expect(listed.history.problem).toMatch(
        /could not open the history file: .*corrupt\.duckdb: not a Hopscope history file/,
      );

      const started = await call(
        service.dispatch('startSession', { target: net.target.v4, count: 3, intervalSec: 0.05, dns: false }),
      );
      await expect.poll(() => stateOf(started.id), { timeout: 30_000 }).toBe('finished');
      const doc = await call(service.dispatch('getSessionDocument', { sessionId: started.id }));
      expect(doc.hops.at(-1)!.samples).toHaveLength(3);

      const open = await service.dispatch('openStoredSession', { id: 1 });
      expect(open).toMatchObject({
        ok: false,
        error: { code: 'failed', message: expect.stringMatching(/not a Hopscope history file/) },
      });
      expect(readFileSync(path).equals(garbage)).toBe(true);
    } finally {
      await service.dispose();
    }
  });
});
