/**
 * The service's history on a real DuckDB file, without probing: retention at
 * start-up, sessions an app left running, a locked or foreign file, and a
 * write failure that turns history off without touching tracing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/main/history';
import { writeRepliedSession } from '../../fixtures/historyFiles';
import { SessionHistory } from '../../../src/main/service/sessionHistory';
import { MAX_OPENED_SAMPLES } from '@shared/storedSessions';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-session-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 24 * 60 * 60 * 1000;

async function seed(path: string, sessions: { uid: string; lastAt: number; state: string }[]): Promise<void> {
  const store = await HistoryStore.open(path);
  for (const s of sessions) {
    const id = store.beginSession({
      uid: s.uid,
      startedAt: s.lastAt - 1000,
      target: 'seeded.example',
      options: { target: 'seeded.example' },
      mtrPacketVersion: '0.95',
    });
    store.updateSession(id, { lastAt: s.lastAt, state: s.state });
  }
  await store.close();
}

describe('SessionHistory', () => {
  it('applies retention at start-up and marks sessions left running by a gone app as interrupted', async () => {
    const path = join(dir, 'retention.duckdb');
    const now = Date.now();
    await seed(path, [
      { uid: 'old', lastAt: now - 31 * DAY, state: 'finished' },
      { uid: 'kept', lastAt: now - 29 * DAY, state: 'stopped' },
      { uid: 'killed', lastAt: now - DAY, state: 'running' },
    ]);
    const logged: string[] = [];
    const history = new SessionHistory({ path, log: (m) => logged.push(m) });
    try {
      const { history: status, sessions } = await history.list(new Set());
      expect(status.state).toBe('recording');
      expect(sessions.map((s) => [s.uid, s.state, s.live])).toEqual([
        ['killed', 'interrupted', false],
        ['kept', 'stopped', false],
      ]);
      expect(logged.join('\n')).toMatch(/1 session\(s\) older than the retention deleted/);
    } finally {
      await history.close(new Map());
    }
  });

  it('a shorter retention setting deletes more', async () => {
    const path = join(dir, 'short.duckdb');
    await seed(path, [{ uid: 'week-old', lastAt: Date.now() - 7 * DAY, state: 'finished' }]);
    const history = new SessionHistory({ path, retentionDays: 5 });
    try {
      expect((await history.list(new Set())).sessions).toEqual([]);
    } finally {
      await history.close(new Map());
    }
  });

  it('opens a window of at most MAX_OPENED_SAMPLES samples, and says to pick a shorter one beyond', async () => {
    const path = join(dir, 'large.duckdb');
    const T0 = Date.UTC(2026, 10, 1);
    const TTLS = 25;
    const rounds = Math.ceil(MAX_OPENED_SAMPLES / TTLS) + 1;
    const { id } = await writeRepliedSession(path, {
      uid: 'large',
      target: 'large.example',
      startedAt: T0,
      rounds,
      ttlsAt: () => TTLS,
      lastAt: Date.now(),
    });

    const history = new SessionHistory({ path });
    try {
      await expect(history.document(id, {})).rejects.toThrow(
        new RegExp(`holds ${rounds * TTLS} samples, more than the ${MAX_OPENED_SAMPLES} .*pick a shorter window`),
      );
      const doc = await history.document(id, { from: T0, to: T0 + 100 * 1000 });
      expect(doc.hops).toHaveLength(TTLS);
      expect(doc.hops.every((h) => h.samples.length === 100)).toBe(true);
    } finally {
      await history.close(new Map());
    }
  });

  it('no history file: off, and the calls say so', async () => {
    const history = new SessionHistory(undefined);
    expect(await history.list(new Set())).toEqual({ history: { state: 'off', path: null }, sessions: [] });
    await expect(history.document(1, {})).rejects.toThrow(/history is off/);
  });

  it('a file another process holds open: history off with the problem named', async () => {
    const path = join(dir, 'locked.duckdb');
    await seed(path, []);
    // Another process (a second app or harness) writing the same file: DuckDB locks it.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `require('@duckdb/node-api').DuckDBInstance.create(process.argv[1])
           .then((db) => db.connect()).then(() => { console.log('holding'); setInterval(() => {}, 1000); });`,
        path,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(holder.stdout, 'data');
      const history = new SessionHistory({ path });
      const { history: status } = await history.list(new Set());
      await history.close(new Map());
      expect(status.state).toBe('failed');
      expect(status.problem).toMatch(
        /^could not open the history file: .*locked\.duckdb: the file is in use by another process/,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
