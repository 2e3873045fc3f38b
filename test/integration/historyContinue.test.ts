/**
 * "Trace this target again" on a stored session: the new live session is
 * recorded into the stored one as a `continued` segment (one session, a gap,
 * a marker), through the real TraceService, mtr-packet and a DuckDB file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { traceDocumentSchema } from '@shared/traceFile';
import { HistoryStore } from '../../src/main/history';
import { call, makeService } from './historyServiceHarness';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-continue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithNetwork('continuing a stored session', (getNet) => {
  it('records the new run as a continued segment of the same stored session', async () => {
    const net = getNet();
    const path = join(dir, 'continue.duckdb');
    const { service, stateOf } = makeService(net, path);
    const base = { target: net.target.v4, intervalSec: 0.05, dns: false };
    try {
      const first = await call(service.dispatch('startSession', { ...base, count: 5 }));
      await expect.poll(() => stateOf(first.id), { timeout: 30_000 }).toBe('finished');

      // Unknown, or still recorded by its own live session: refused before anything starts.
      expect(await service.dispatch('startSession', { ...base, count: 1, continueStoredId: 99 })).toMatchObject({
        ok: false,
        error: { code: 'not-found', message: 'no stored session 99' },
      });
      expect(await service.dispatch('startSession', { ...base, count: 1, continueStoredId: 1 })).toMatchObject({
        ok: false,
        error: { code: 'failed', message: expect.stringMatching(/still being recorded/) },
      });
      expect(await service.dispatch('startSession', { ...base, continueStoredId: 0 })).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/continueStoredId/) },
      });
      expect((await call(service.dispatch('listSessions', undefined))).map((s) => s.id)).toEqual([first.id]);
      await call(service.dispatch('closeSession', { sessionId: first.id }));

      const again = await call(service.dispatch('startSession', { ...base, count: 4, continueStoredId: 1 }));
      // The live session knows nothing of it: its own options, its own rounds.
      expect(again.options).not.toHaveProperty('continueStoredId');
      await expect.poll(() => stateOf(again.id), { timeout: 30_000 }).toBe('finished');

      const listed = await call(service.dispatch('listStoredSessions', undefined));
      expect(listed.sessions).toHaveLength(1);
      expect(listed.sessions[0]).toMatchObject({ id: 1, uid: again.id, live: true, rounds: 9, state: 'finished' });
      expect(listed.sessions[0]!.samples).toBe(9 * net.hops.length);

      const doc = traceDocumentSchema.parse(await call(service.dispatch('openStoredSession', { id: 1 })));
      expect(doc.segments?.map((g) => [g.index, g.firstRound, g.rounds])).toEqual([
        [0, 0, 5],
        [1, 5, 4],
      ]);
      const earlier = doc.segments![0]!.hops!.flatMap((h) => h.samples.map((s) => s.at));
      const later = doc.hops.flatMap((h) => h.samples.map((s) => s.at));
      expect(Math.min(...later)).toBeGreaterThan(Math.max(...earlier));
      expect(doc.hops.at(-1)!.samples.map((s) => s.round)).toEqual([5, 6, 7, 8]);
    } finally {
      await service.dispose();
    }
    const store = await HistoryStore.open(path, { readOnly: true });
    try {
      expect((await store.segments(1)).map((g) => g.reason)).toEqual(['start', 'continued']);
      expect((await store.sessions()).map((s) => s.endedAt !== null)).toEqual([true]);
    } finally {
      await store.close();
    }
  });
});
