/**
 * Session files through the service's calls, as Electron's menu and dialogs
 * use them: Export session writes a stored session to a DuckDB file of its
 * own; Open recognises it by its bytes and opens it read-only as a stored
 * tab whose timeline, focus-window statistics and markers are the original
 * session's, answered from the file; closing the tab closes the file. A
 * damaged, foreign or newer file is refused with a problem that names it,
 * and what is open stays as it was.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { TraceService } from '../../../src/main/service/traceService';
import type { ImportResult } from '@shared/ipc';
import { isSessionFileId, MAX_OPEN_SESSION_FILES, SESSION_FILE_FORMAT } from '@shared/sessionFileFormat';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-files-'));
const historyPath = join(dir, 'history.duckdb');
const exported = join(dir, 'exported.duckdb');
const ROUNDS = 2000;
const TTLS = 4;
// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 7200_000;
const END = T0 + ROUNDS * 1000;
let service: TraceService;
let id: number;
let savePath = exported;
let openPath: string | null = null;

beforeAll(async () => {
  await writeRepliedSession(historyPath, {
    uid: 'first',
    target: 'first.example',
    startedAt: T0,
    rounds: 10,
    ttlsAt: () => 2,
    lastAt: T0 + 10_000,
  });
  ({ id } = await writeRepliedSession(historyPath, {
    uid: 'stored',
    target: 'stored.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt: (round) => (round % 10 === 0 ? TTLS - 1 : TTLS),
    lastAt: END,
  }));
  const dialogs = {
    chooseSavePath: () => Promise.resolve(savePath),
    chooseOpenPath: () => Promise.resolve(openPath),
  };
  service = new TraceService({ enrichment: false, history: { path: historyPath }, dialogs });
}, 60_000);

afterAll(async () => {
  await service?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<ImportResult> {
  openPath = path;
  const result = await service.dispatch('openTraceFile', undefined);
  if (!result.ok) throw new Error(result.error.message);
  return result.value!;
}

describe('a session file', () => {
  let fileId: number;

  it('is written by Export session and opened again as a read-only stored session', async () => {
    expect(await service.dispatch('exportSessionFile', { id, suggestedName: 'stored' })).toEqual({
      ok: true,
      value: { saved: true, path: exported },
    });
    expect(readFileSync(exported).toString('latin1', 8, 12)).toBe('DUCK');
    const opened = await open(exported);
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.sourceFormat).toBe(SESSION_FILE_FORMAT);
    expect(opened.fileName).toBe('exported.duckdb');
    const stored = opened.stored!;
    expect(isSessionFileId(stored.id)).toBe(true);
    expect(stored).toMatchObject({ target: 'stored.example', samples: ROUNDS * TTLS - ROUNDS / 10, live: false });
    expect(opened.document.hops.map((h) => h.sent)).toEqual([ROUNDS, ROUNDS, ROUNDS, ROUNDS - ROUNDS / 10]);
    fileId = stored.id;
  });

  it('answers timeline, focus window and markers as the history does for the original', async () => {
    const window = { from: T0 + 300_000, to: T0 + 900_000 };
    for (const ttl of [1, TTLS]) {
      const request = { ttl, from: T0, to: END, buckets: 300 };
      const fromFile = await service.dispatch('getTimeline', { id: fileId, ...request });
      expect(fromFile.ok && fromFile.value.length).toBe(300);
      expect(fromFile).toEqual(await service.dispatch('getTimeline', { id, ...request }));
    }
    const stats = await service.dispatch('getWindowStats', { id: fileId, ...window });
    expect(stats.ok && stats.value.hops[0]!.p95Ms).toBe(1);
    expect(stats).toEqual(await service.dispatch('getWindowStats', { id, ...window }));
    expect(await service.dispatch('getTimelineMarkers', { id: fileId, from: T0, to: END })).toEqual(
      await service.dispatch('getTimelineMarkers', { id, from: T0, to: END }),
    );
  });

  it('is neither deleted nor continued from the app, and is not listed with the history', async () => {
    const deleted = await service.dispatch('deleteStoredSession', { id: fileId });
    expect(deleted.ok === false && deleted.error.message).toMatch(/not deleted from the app/);
    const continued = await service.dispatch('startSession', { target: '127.0.0.1', continueStoredId: fileId });
    expect(continued.ok === false && continued.error.message).toMatch(/not continued/);
    const list = await service.dispatch('listStoredSessions', undefined);
    expect(list.ok && list.value.sessions.map((s) => s.uid)).toEqual(['stored', 'first']);
  });

  it('Export session of an unknown agent’s stored session, or of an unknown one, is refused with the reason', async () => {
    const agent = await service.dispatch('exportSessionFile', { id: 0x8000_0001, suggestedName: 'x' });
    expect(agent.ok === false && agent.error).toMatchObject({
      code: 'not-found',
      message: 'no stored session 2147483649',
    });
    const unknown = await service.dispatch('exportSessionFile', { id: 99, suggestedName: 'x' });
    expect(unknown.ok === false && unknown.error).toMatchObject({ code: 'not-found', message: 'no stored session 99' });
    const closed = await service.dispatch('exportSessionFile', { id: 0x7000_0fff, suggestedName: 'x' });
    expect(closed.ok === false && closed.error.code).toBe('not-found');
  });

  it('exports again from an opened file, and Export JSON of it holds its samples', async () => {
    savePath = join(dir, 'again.duckdb');
    expect((await service.dispatch('exportSessionFile', { id: fileId, suggestedName: 'x' })).ok).toBe(true);
    expect(statSync(savePath).size).toBeGreaterThan(0);
    savePath = join(dir, 'file.json');
    expect((await service.dispatch('exportStoredSession', { id: fileId, suggestedName: 'x' })).ok).toBe(true);
    const doc = JSON.parse(readFileSync(savePath, 'utf8')) as { hops: { samples: unknown[] }[] };
    expect(doc.hops[0]!.samples).toHaveLength(ROUNDS);
    savePath = exported;
  });

  it('closes with its tab: its calls then say so', async () => {
    expect(await service.dispatch('closeSessionFile', { id: fileId })).toEqual({ ok: true, value: null });
    const after = await service.dispatch('getTimeline', { id: fileId, ttl: 1, from: T0, to: END, buckets: 10 });
    expect(after.ok === false && after.error).toMatchObject({ code: 'not-found' });
    // Closed, it can be opened (and so locked) again.
    const reopened = await open(exported);
    expect(reopened.ok && reopened.stored!.id).not.toBe(fileId);
  });

  it('received as a copy (the harness’s upload) is removed when closed, or at once when it cannot be opened', async () => {
    const page = {};
    const copy = join(dir, 'upload-1.duckdb');
    copyFileSync(exported, copy);
    const opened = await service.openUploadedSessionFile(copy, 'colleague.duckdb', page);
    expect(opened.ok && [opened.fileName, opened.stored!.samples]).toEqual([
      'colleague.duckdb',
      ROUNDS * TTLS - ROUNDS / 10,
    ]);
    expect(existsSync(copy)).toBe(true);
    await service.dispatch('closeSessionFile', { id: opened.ok ? opened.stored!.id : 0 });
    expect(existsSync(copy)).toBe(false);
    const broken = join(dir, 'upload-2.duckdb');
    writeFileSync(broken, readFileSync(exported).subarray(0, 20_000));
    const refused = await service.openUploadedSessionFile(broken, 'cut.duckdb', page);
    expect(refused.ok === false && refused.fileName).toBe('cut.duckdb');
    expect(existsSync(broken)).toBe(false);
  });

  it('opened with the dialog is closed when a renderer (re)loads: its tabs are gone', async () => {
    // Still open from the test that reopened it.
    const again = await open(exported);
    expect(again.ok === false && again.error).toBe('this session file is open in another tab already');
    const page = {};
    const copy = join(dir, 'upload-5.duckdb');
    copyFileSync(exported, copy);
    expect((await service.openUploadedSessionFile(copy, 'sent.duckdb', page)).ok).toBe(true);
    expect(await service.dispatch('rendererReady', undefined)).toEqual({ ok: true, value: null });
    expect((await open(exported)).ok).toBe(true);
    // A harness page's files are its connection's, not the renderer's.
    expect(existsSync(copy)).toBe(true);
    service.release(page);
    await expect.poll(() => existsSync(copy)).toBe(false);
  });

  it(`at most ${MAX_OPEN_SESSION_FILES} are open at once; the next is refused saying so`, async () => {
    await service.dispatch('rendererReady', undefined);
    const page = {};
    const copies = Array.from({ length: MAX_OPEN_SESSION_FILES + 1 }, (_, i) => join(dir, `many-${i}.duckdb`));
    copies.forEach((copy) => copyFileSync(exported, copy));
    const results = [];
    for (const copy of copies) results.push(await service.openUploadedSessionFile(copy, 'm.duckdb', page));
    expect(results.filter((r) => r.ok)).toHaveLength(MAX_OPEN_SESSION_FILES);
    const last = results.at(-1)!;
    expect(last.ok === false && last.error).toBe(
      `${MAX_OPEN_SESSION_FILES} session files are open already; close one of their tabs first`,
    );
    service.release(page);
    await expect.poll(() => copies.filter((copy) => existsSync(copy))).toEqual([]);
  });

  it('received for a page connection is closed when that connection ends', async () => {
    const [page, other] = [{}, {}];
    const copies = ['upload-3.duckdb', 'upload-4.duckdb'].map((name) => join(dir, name));
    copies.forEach((copy) => copyFileSync(exported, copy));
    const mine = await service.openUploadedSessionFile(copies[0]!, 'a.duckdb', page);
    const theirs = await service.openUploadedSessionFile(copies[1]!, 'b.duckdb', other);
    service.release(page);
    await expect.poll(() => existsSync(copies[0]!)).toBe(false);
    const ids = [mine, theirs].map((r) => (r.ok ? r.stored!.id : 0));
    const asked = async (id: number) => (await service.dispatch('getWindowStats', { id, from: T0, to: END })).ok;
    expect([await asked(ids[0]!), await asked(ids[1]!)]).toEqual([false, true]);
    expect(existsSync(copies[1]!)).toBe(true);
    await service.dispatch('closeSessionFile', { id: ids[1]! });
  });

  it('that is damaged, foreign or newer is refused with its problem named', async () => {
    const truncated = join(dir, 'truncated.duckdb');
    writeFileSync(truncated, readFileSync(exported).subarray(0, 20_000));
    const foreign = join(dir, 'foreign.duckdb');
    const newer = join(dir, 'newer.duckdb');
    copyFileSync(exported, newer);
    for (const [path, sql] of [
      [foreign, 'CREATE TABLE t (a INTEGER)'],
      [newer, `UPDATE hopscope_meta SET value = '99' WHERE key = 'version'`],
    ] as const) {
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      await connection.run(sql);
      connection.closeSync();
      instance.closeSync();
    }
    const problems: Record<string, RegExp> = {
      [truncated]: /^damaged or truncated: cannot be read as a history file \(IO Error: Could not read enough bytes/,
      [foreign]: /not a Hopscope history file \(a DuckDB database without hopscope_meta\)/,
      [newer]: /version 99 is newer than this Hopscope reads/,
      [historyPath]: /the session history file itself/,
      [join(dir, 'again.duckdb')]: /^not a trace file/,
    };
    rmSync(join(dir, 'again.duckdb'));
    writeFileSync(join(dir, 'again.duckdb'), 'not a trace');
    for (const [path, problem] of Object.entries(problems)) {
      const result = await open(path);
      expect(result.ok).toBe(false);
      if (!result.ok) expect([path, result.error]).toEqual([path, expect.stringMatching(problem)]);
    }
    // A file with more than one session (a copy of a history file) is not one session.
    const copied = join(dir, 'copy.duckdb');
    copyFileSync(historyPath, copied);
    const many = await open(copied);
    expect(many.ok === false && many.error).toMatch(/holds 2 sessions/);
    // The history was not touched.
    const list = await service.dispatch('listStoredSessions', undefined);
    expect(list.ok && list.value.history.state).toBe('recording');
  });
});
