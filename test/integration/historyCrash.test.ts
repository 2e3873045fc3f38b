import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/main/history';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'hopscope-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('history: a writer killed with SIGKILL', () => {
  it('keeps every sample its background flushes reported durable, in whole rounds, after reopening', async () => {
    const path = join(dir, 'crash.duckdb');
    // `node --import tsx` (not the tsx CLI, which forks): the SIGKILL must reach the process that writes.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/integration/historyCrashWriter.ts'), path],
      {
        cwd: ROOT,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const reports: number[] = [];
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    await new Promise<void>((done, fail) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) reports.push(Number(line.split(' ')[1]));
        // Several background flushes have landed and the writer is still appending: kill it mid-write.
        if (reports.length >= 4) {
          child.kill('SIGKILL');
          done();
        }
      });
      child.on('exit', () => fail(new Error(`writer exited early: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const durable = reports[reports.length - 1] ?? 0;
    expect(durable).toBeGreaterThan(0);

    const store = await HistoryStore.open(path, { readOnly: true });
    try {
      const [session] = await store.sessions();
      expect(session?.uid).toBe('crash');
      const samples = await store.samples(session?.session ?? 0);
      // Everything reported durable is there (more may be, if a flush finished after the last report).
      expect(samples.length).toBeGreaterThanOrEqual(durable);
      const perRound = new Map<number, number>();
      for (const s of samples) perRound.set(s.round, (perRound.get(s.round) ?? 0) + 1);
      const rounds = [...perRound.keys()].sort((a, b) => a - b);
      // Rounds 0..n-1 with nothing missing and no half-written round.
      expect(rounds).toEqual(rounds.map((_, i) => i));
      expect([...perRound.values()].every((n) => n === 30)).toBe(true);
      expect(rounds.length * 30).toBeGreaterThanOrEqual(durable);
    } finally {
      await store.close();
    }
  });
});
