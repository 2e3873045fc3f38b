/**
 * Session files through the browser harness's HTTP, behind the page's
 * cookie: Export session as a download of the DuckDB file, and a session
 * file sent to be opened, taken only from the harness's own page (its
 * Origin), answered as Open answers.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { tryWebSocket } from '../../e2e/harnessConnections';
import { startHarness, type Harness } from '../../../src/harness/server';
import { SESSION_FILE_EXPORT_PATH, SESSION_FILE_UPLOAD_PATH } from '@shared/sessionFileFormat';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-file-http-'));
const ROUNDS = 600;
// Recent, so the retention applied at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3600_000;
let harness: Harness;
let id: number;

beforeAll(async () => {
  const historyPath = join(dir, 'history.duckdb');
  ({ id } = await writeRepliedSession(historyPath, {
    uid: 'stored',
    target: 'stored.example',
    startedAt: T0,
    rounds: ROUNDS,
    ttlsAt: () => 3,
    lastAt: T0 + ROUNDS * 1000,
  }));
  harness = await startHarness({ rendererDir: dir, historyPath, enrichment: false });
}, 60_000);

afterAll(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function send(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: harness.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cookie = () => ({ Cookie: `hopscope_token_${harness.port}=${harness.token}` });
const origin = () => ({ Origin: `http://127.0.0.1:${harness.port}` });
const exportPath = (sessionId: number) => `${SESSION_FILE_EXPORT_PATH}?id=${sessionId}&suggestedName=x`;
const uploadPath = (connection: string) => `${SESSION_FILE_UPLOAD_PATH}?name=mine.duckdb&connection=${connection}`;
let exported: Buffer;

it('Export session is a download of the DuckDB file, behind the cookie', async () => {
  expect((await send('GET', exportPath(id), {})).status).toBe(401);
  const answer = await send('GET', exportPath(id), cookie());
  expect(answer.status).toBe(200);
  expect(answer.headers['content-disposition']).toBe('attachment');
  expect(answer.body.toString('latin1', 8, 12)).toBe('DUCK');
  exported = answer.body;
  const unknown = await send('GET', exportPath(77), cookie());
  expect([unknown.status, JSON.parse(unknown.body.toString())]).toEqual([
    404,
    { ok: false, error: { code: 'not-found', message: 'no stored session 77' } },
  ]);
});

it('a session file sent by the page is opened as Open opens it; others are refused', async () => {
  // The page's connection, as its hello names it: the file belongs to it.
  const page = await tryWebSocket(`ws://127.0.0.1:${harness.port}/ws`, { ...cookie(), ...origin() });
  if (!page.opened) throw new Error(`the socket was refused (${page.status})`);
  const connection = String((await page.next())['connection']);
  const path = uploadPath(connection);
  expect((await send('POST', path, origin(), exported)).status).toBe(401);
  expect((await send('POST', path, cookie(), exported)).status).toBe(403);
  const foreign = { ...cookie(), Origin: 'http://127.0.0.1:1' };
  expect((await send('POST', path, foreign, exported)).status).toBe(403);
  expect((await send('POST', uploadPath('not-a-page'), { ...cookie(), ...origin() }, exported)).status).toBe(409);
  // Only the upload path takes a POST.
  expect((await send('POST', `${SESSION_FILE_EXPORT_PATH}?id=1`, { ...cookie(), ...origin() })).status).toBe(405);

  const answer = await send('POST', path, { ...cookie(), ...origin() }, exported);
  expect(answer.status).toBe(200);
  const result = JSON.parse(answer.body.toString()) as {
    ok: boolean;
    value: { ok: boolean; fileName: string; stored?: { samples: number } };
  };
  expect(result.value).toMatchObject({ ok: true, fileName: 'mine.duckdb', stored: { samples: ROUNDS * 3 } });

  const cut = await send('POST', path, { ...cookie(), ...origin() }, exported.subarray(0, 20_000));
  expect(JSON.parse(cut.body.toString())).toMatchObject({
    ok: true,
    value: { ok: false, fileName: 'mine.duckdb', error: expect.stringMatching(/^damaged or truncated/) },
  });
  page.ws.close();
});
