/**
 * Opening a trace file on the engine side: the size is checked before
 * reading, and large files are parsed in a worker thread (here the
 * TypeScript source run through tsx; Electron runs the built one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  importTraceFile,
  INLINE_IMPORT_MAX_BYTES,
  planTraceFileImport,
  TraceFileReadError,
  type WorkerEntry,
} from '../../../src/main/service/traceFileImport';
import { MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE } from '@shared/limits';
import type { Sample } from '@shared/traceFile';
import { TraceService } from '../../../src/main/service/traceService';
import { handMade } from '../formats/fixtures';
import { traceDocument, namedHost } from '../../fixtures/traceBuilders';
import { importTraceText } from '@shared/formats/importTrace';

const ROOT = resolve(__dirname, '../../..');
/** Filled in beforeAll: a loader that runs the worker's TypeScript source through tsx. */
const WORKER: WorkerEntry = { path: '' };

/** A valid hopscope trace of about `megabytes` MB: one hop with many samples. */
function bigTrace(megabytes: number): string {
  const sample: Sample = { round: 0, at: 1_772_362_800_000, result: 'reply', address: '198.51.100.10', rttMs: 12.5 };
  const perSample = JSON.stringify(sample).length + 1;
  const count = Math.ceil((megabytes * 1024 * 1024) / perSample);
  const samples = Array.from({ length: count }, (_, i) => ({ ...sample, round: i, at: sample.at + i * 1000 }));
  const doc = traceDocument(
    [{ ttl: 1, sent: count, received: count, lossPct: 0, hosts: [namedHost('198.51.100.10', null, count)], samples }],
    { rounds: count, options: { ...traceDocument([]).options, count } },
  );
  return JSON.stringify(doc);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hopscope-import-'));
  WORKER.path = join(dir, 'worker-loader.cjs');
  await writeFile(
    WORKER.path,
    [
      `process.env.TSX_TSCONFIG_PATH = ${JSON.stringify(join(ROOT, 'tsconfig.base.json'))};`,
      `require(${JSON.stringify(join(ROOT, 'node_modules/tsx/dist/cjs/api/index.cjs'))}).register();`,
      `require(${JSON.stringify(join(ROOT, 'src/main/service/traceFileWorker.ts'))});`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('planning by size', () => {
  it('refuses more bytes than the limit allows characters, parses small files in place and big ones in a worker', () => {
    expect(planTraceFileImport(MAX_TRACE_FILE_CHARS + 1, true)).toBe('too-large');
    expect(planTraceFileImport(200 * 1024 * 1024, false)).toBe('too-large');
    expect(planTraceFileImport(MAX_TRACE_FILE_CHARS, true)).toBe('worker');
    expect(planTraceFileImport(INLINE_IMPORT_MAX_BYTES + 1, true)).toBe('worker');
    expect(planTraceFileImport(INLINE_IMPORT_MAX_BYTES, true)).toBe('inline');
    expect(planTraceFileImport(MAX_TRACE_FILE_CHARS, false)).toBe('inline');
  });
});

describe('importTraceFile', () => {
  it('refuses a 200 MB file from its size, without reading it', async () => {
    const path = join(dir, 'huge.json');
    // Sparse: 200 MB long, no disk used. Reading it would give 200 MB of NULs, not this answer.
    const handle = await open(path, 'w');
    await handle.truncate(200 * 1024 * 1024);
    await handle.close();
    // Read, it would be 200 MB of NULs: a JSON error from the parser, not the size refusal.
    expect(await importTraceFile(path, WORKER)).toEqual({
      ok: false,
      error: TRACE_FILE_TOO_LARGE,
      fileName: 'huge.json',
    });
  });

  it('imports a small file in place, like text from the page', async () => {
    const path = join(dir, 'small.json');
    const text = JSON.stringify(handMade);
    await writeFile(path, text);
    const result = await importTraceFile(path, WORKER);
    expect(result).toEqual(importTraceText('small.json', text));
    expect(result).toMatchObject({ ok: true, sourceFormat: 'hopscope', fileName: 'small.json' });
  });

  it('imports a large file in a worker with the same result, and the main thread keeps turning', async () => {
    const path = join(dir, 'large.json');
    const text = bigTrace(12);
    await writeFile(path, text);
    expect(planTraceFileImport(Buffer.byteLength(text), true)).toBe('worker');

    // The longest stall of this thread's event loop, against the whole import: a ratio, not a time.
    let last = performance.now();
    let longestGap = 0;
    let ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 1);
    const started = performance.now();
    const viaWorker = await importTraceFile(path, WORKER);
    const finished = performance.now();
    clearInterval(timer);
    // A stall that lasted until the import finished counts too.
    longestGap = Math.max(longestGap, finished - last);
    const elapsed = finished - started;

    expect(viaWorker.ok).toBe(true);
    if (!viaWorker.ok) return;
    expect(viaWorker.document.hops[0]!.samples.length).toBeGreaterThan(100_000);
    expect(viaWorker).toEqual(importTraceText('large.json', text));
    expect(ticks).toBeGreaterThan(10);
    expect(longestGap / elapsed).toBeLessThan(0.5);
  });

  it('reports a broken large file as an import error, not a crash', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, bigTrace(2).slice(0, -10));
    const result = await importTraceFile(path, WORKER);
    expect(result).toMatchObject({ ok: false, fileName: 'broken.json', error: expect.stringMatching(/JSON/) });
  });

  it('a missing file or a folder is a read error naming the file', async () => {
    await expect(importTraceFile(join(dir, 'missing.json'), WORKER)).rejects.toThrow(
      new TraceFileReadError('cannot read missing.json: ENOENT'),
    );
    await expect(importTraceFile(dir, WORKER)).rejects.toBeInstanceOf(TraceFileReadError);
  });
});

describe('TraceService.openTraceFile', () => {
  /** The Electron dialog's place: the user "chose" this path. */
  const serviceOpening = (path: string) =>
    new TraceService({
      traceFileWorker: WORKER,
      dialogs: { chooseOpenPath: async () => path, chooseSavePath: async () => null },
    });

  it('imports through the size check and the worker', async () => {
    const path = join(dir, 'opened.json');
    await writeFile(path, bigTrace(2));
    const result = await serviceOpening(path).dispatch('openTraceFile', undefined);
    expect(result).toMatchObject({ ok: true, value: { ok: true, fileName: 'opened.json', sourceFormat: 'hopscope' } });
  });

  it('answers an unreadable file with a typed error naming it', async () => {
    const result = await serviceOpening(join(dir, 'gone.json')).dispatch('openTraceFile', undefined);
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'cannot read gone.json: ENOENT' } });
  });
});
