/**
 * Export JSON of a stored session, built in main from a real DuckDB file:
 * through the service's save dialog (Electron) and as the browser harness's
 * download (HTTP, behind the page's cookie). Every stored sample is in it,
 * although a tab opens the same session with only each hop's newest
 * DEFAULT_SAMPLES_PER_HOP; a window is marked with its focusWindow; an
 * export too large for one file is refused as too large.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { httpGet } from '../../e2e/harnessConnections';
import { TraceService } from '../../../src/main/service/traceService';
import { startHarness, type Harness } from '../../../src/harness/server';
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import { MAX_OPENED_SAMPLES, STORED_EXPORT_PATH, storedExportQuery } from '@shared/storedSessions';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-stored-export-'));
const ROUNDS = 1500;
const TTLS = 3;
// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
const savedTo = join(dir, 'saved.json');
let service: TraceService;
let harness: Harness;
let id: number;

beforeAll(async () => {
  const history = join(dir, 'history.duckdb');
  ({ id } = await writeRepliedSession(history, {
    uid: 'stored',
    target: 'stored.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt: () => TTLS,
    lastAt: T0 + (ROUNDS - 1) * 1000 + TTLS,
  }));
  await writeRepliedSession(join(dir, 'large.duckdb'), {
    uid: 'large',
    target: 'large.example',
    startedAt: T0,
    rounds: MAX_OPENED_SAMPLES / 100 + 1,
    ttlsAt: () => 100,
    lastAt: T0 + (MAX_OPENED_SAMPLES / 100) * 1000 + 100,
  });
  const dialogs = { chooseSavePath: () => Promise.resolve(savedTo), chooseOpenPath: () => Promise.resolve(null) };
  service = new TraceService({ enrichment: false, history: { path: history }, dialogs });
  harness = await startHarness({ rendererDir: dir, historyPath: join(dir, 'large.duckdb') });
}, 60_000);

afterAll(async () => {
  await service?.dispose();
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

const samplesPerHop = (doc: TraceDocument) => doc.hops.map((h) => h.samples.length);

describe('a stored session’s export', () => {
  it('holds every sample, while the tab opens each hop’s newest ones', async () => {
    const opened = await service.dispatch('openStoredSession', { id, samplesPerHop: DEFAULT_SAMPLES_PER_HOP });
    expect(opened.ok && samplesPerHop(opened.value)).toEqual([600, 600, 600]);

    const saved = await service.dispatch('exportStoredSession', { id, suggestedName: 'stored' });
    expect(saved).toEqual({ ok: true, value: { saved: true, path: savedTo } });
    const doc = traceDocumentSchema.parse(JSON.parse(readFileSync(savedTo, 'utf8')));
    expect(samplesPerHop(doc)).toEqual([ROUNDS, ROUNDS, ROUNDS]);
    expect(doc.focusWindow).toBeUndefined();
    expect(doc.hops[0]).toMatchObject({ sent: ROUNDS, received: ROUNDS });
  });

  it('of a window holds that window’s samples and says which window it is', async () => {
    const window = { from: T0 + 100_000, to: T0 + 200_000 };
    const saved = await service.dispatch('exportStoredSession', { id, suggestedName: 'part', ...window });
    expect(saved.ok).toBe(true);
    const doc = traceDocumentSchema.parse(JSON.parse(readFileSync(savedTo, 'utf8')));
    expect(doc.focusWindow).toEqual(window);
    expect(samplesPerHop(doc)).toEqual([100, 100, 100]);
  });

  it('is refused with a clear error for an unknown session or a bad request', async () => {
    expect(await service.dispatch('exportStoredSession', { id: 999, suggestedName: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'no stored session 999' },
    });
    expect(await service.dispatch('exportStoredSession', { id })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', field: 'suggestedName' },
    });
  });
});

describe('the browser harness’s export download', () => {
  const cookie = () => ({ Cookie: `hopscope_token_${harness.port}=${harness.token}` });
  const get = (query: string, headers: Record<string, string> = cookie()) =>
    httpGet(harness.port, `${STORED_EXPORT_PATH}?${query}`, headers);

  it('is behind the page’s cookie like everything else', async () => {
    expect((await get(storedExportQuery({ id: 1, suggestedName: 'x' }), {})).status).toBe(401);
  });

  it('answers a window as the document of every sample in it', async () => {
    const window = { from: T0, to: T0 + 10_000 };
    const answer = await get(storedExportQuery({ id: 1, suggestedName: 'x', ...window }));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-disposition']).toBe('attachment');
    const doc = traceDocumentSchema.parse(JSON.parse(answer.body));
    expect(doc.focusWindow).toEqual(window);
    expect(samplesPerHop(doc)).toEqual(doc.hops.map(() => 10));
  });

  it('answers a failure as the IPC error, with its status', async () => {
    const tooLarge = await get(storedExportQuery({ id: 1, suggestedName: 'x' }));
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({
      ok: false,
      error: { code: 'too-large', message: expect.stringMatching(/more than the 200000 one document carries/) },
    });
    expect((await get('id=abc&suggestedName=x')).status).toBe(400);
    expect((await get(storedExportQuery({ id: 77, suggestedName: 'x' }))).status).toBe(404);
  });
});
