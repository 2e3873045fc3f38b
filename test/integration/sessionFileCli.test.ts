/**
 * `hopscope report FILE` (the built CLI) over an exported session file
 * prints what it prints over the history file the session came from: the
 * file is a history file holding that one session.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HistoryStore } from '../../src/main/history';
import { writeRepliedSession } from '../fixtures/historyFiles';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const ROOT = resolve(import.meta.dirname, '../..');
const HOPSCOPE = join(ROOT, 'bin/hopscope');
const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-file-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

ensureBuilt();

const T0 = Date.UTC(2026, 10, 2, 8);
const report = (...args: string[]) => spawnSync(process.execPath, [HOPSCOPE, 'report', ...args], { encoding: 'utf8' });

it('reads an exported session file as it reads the history file', async () => {
  const history = join(dir, 'history.duckdb');
  const session = { startedAt: T0, rounds: 900, ttlsAt: () => 5, lastAt: T0 + 900_000 };
  await writeRepliedSession(history, { ...session, uid: 'a', target: 'a.example' });
  const { id } = await writeRepliedSession(history, { ...session, uid: 'b', target: 'b.example' });
  const exported = join(dir, 'b.duckdb');
  const store = await HistoryStore.open(history);
  expect(await store.exportSession(id, exported)).toEqual({ samples: 900 * 5 });
  await store.close();

  for (const flags of [['--report'], ['--json'], ['--csv', '--from', new Date(T0 + 300_000).toISOString()]]) {
    const fromFile = report(exported, ...flags);
    const fromHistory = report(history, '--session', String(id), ...flags);
    expect([fromFile.status, fromFile.stderr]).toEqual([0, '']);
    expect(fromFile.stdout).toContain('198.51.100.5');
    expect(fromFile.stdout).toBe(fromHistory.stdout);
  }
  const list = report(exported, '--list');
  expect(list.stdout.trim().split('\n')).toHaveLength(2);
}, 120_000);
