/**
 * A session file dropped on an Electron window: the preload sends main the
 * dropped File's path, and main opens it read-only as Open does, but only
 * an absolute path to an existing regular file whose bytes start as a
 * DuckDB database's. Anything else is refused naming why, before DuckDB
 * sees it; the browser harness (no dialogs: the page uploads) opens no path.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { TraceService } from '../../../src/main/service/traceService';
import { droppedFileProblem } from '../../../src/main/service/sessionFileHandlers';
import { isSessionFileId, SESSION_FILE_FORMAT } from '@shared/sessionFileFormat';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-dropped-'));
const sessionFile = join(dir, 'colleague.duckdb');
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
const noDialog = () => Promise.resolve(null);
let electron: TraceService;
let harness: TraceService;

beforeAll(async () => {
  await writeRepliedSession(sessionFile, {
    uid: 'dropped',
    target: 'dropped.example',
    startedAt: T0,
    rounds: 20,
    ttlsAt: () => 3,
    lastAt: T0 + 20_000,
  });
  const history = { path: join(dir, 'history.duckdb') };
  electron = new TraceService({
    enrichment: false,
    history,
    dialogs: { chooseSavePath: noDialog, chooseOpenPath: noDialog },
  });
  harness = new TraceService({ enrichment: false, history: { path: join(dir, 'harness-history.duckdb') } });
}, 60_000);

afterAll(async () => {
  await electron?.dispose();
  await harness?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it('opens a dropped session file read-only as Open does, and it closes with its tab', async () => {
  const result = await electron.dispatch('openDroppedSessionFile', { path: sessionFile });
  if (!result.ok || !result.value.ok) throw new Error(JSON.stringify(result));
  const opened = result.value;
  expect([opened.fileName, opened.sourceFormat]).toEqual(['colleague.duckdb', SESSION_FILE_FORMAT]);
  expect(isSessionFileId(opened.stored!.id)).toBe(true);
  expect(opened.stored).toMatchObject({ target: 'dropped.example', samples: 60, live: false });
  const again = await electron.dispatch('openDroppedSessionFile', { path: sessionFile });
  expect(again.ok && again.value.ok === false && again.value.error).toBe(
    'this session file is open in another tab already',
  );
  await electron.dispatch('closeSessionFile', { id: opened.stored!.id });
});

it('refuses what is not an absolute path to a regular file holding a DuckDB database, naming why', async () => {
  const text = join(dir, 'trace.duckdb');
  writeFileSync(text, JSON.stringify({ format: 'not a database' }));
  const short = join(dir, 'short.duckdb');
  writeFileSync(short, 'DUCK');
  const folder = join(dir, 'folder.duckdb');
  mkdirSync(folder);
  const link = join(dir, 'link.duckdb');
  symlinkSync(sessionFile, link);
  const problems: [string, string | null][] = [
    [text, 'not a Hopscope session file (not a DuckDB database)'],
    [short, 'not a Hopscope session file (not a DuckDB database)'],
    [folder, 'not a file (a folder or a device?)'],
    [join(dir, 'gone.duckdb'), 'no such file'],
    ['/dev/null', 'not a file (a folder or a device?)'],
    ['colleague.duckdb', 'not an absolute path'],
    // A link to a session file is that file, as the Open dialog takes it.
    [link, null],
  ];
  expect(problems.map(([path]) => [path, droppedFileProblem(path)])).toEqual(problems);
  for (const [path, problem] of problems.slice(0, 4)) {
    const result = await electron.dispatch('openDroppedSessionFile', { path });
    expect(result).toEqual({ ok: true, value: { ok: false, error: problem, fileName: path.split('/').at(-1) } });
  }
});

it('validates the request: no path (a File not on disk), a relative one, a NUL, another field', async () => {
  const refused = [
    [{ path: '' }, 'the dropped file has no path on this computer'],
    [{ path: 'colleague.duckdb' }, 'not an absolute path'],
    [{ path: `${sessionFile}\0.json` }, 'the path holds a NUL character'],
    [{ path: sessionFile, more: 1 }, undefined],
    [undefined, undefined],
  ] as const;
  for (const [payload, message] of refused) {
    const result = await electron.dispatch('openDroppedSessionFile', payload);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-request');
      if (message !== undefined) expect(result.error.message).toContain(message);
    }
  }
});

it('is refused by the browser harness: its page uploads a dropped file, it never names a path there', async () => {
  expect(await harness.dispatch('openDroppedSessionFile', { path: sessionFile })).toEqual({
    ok: false,
    error: { code: 'forbidden', message: 'files are opened and saved by the browser here' },
  });
});
