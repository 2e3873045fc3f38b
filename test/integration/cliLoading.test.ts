/**
 * What each kind of `hopscope` run loads (issue #13's start-up goals): the
 * built CLI is chunks required on demand, so `--version` and `--help` compile
 * only the command line, a trace adds only its own chunk and never loads
 * DuckDB, the AS/country data or node:dns (when it resolves no name), and
 * those load when a command asks for them.
 * Counts files, never times anything.
 */
import { join, resolve } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const ROOT = resolve(__dirname, '../..');
const ARGV = [process.execPath, '--import', join(ROOT, 'test/fixtures/loadRecorder.mjs'), join(ROOT, 'bin/hopscope')];

interface Loads {
  code: number | null;
  stdout: string;
  compiled: string[];
  packages: string[];
  builtins: string[];
}

function loadsOf(stdout: string, stderr: string, code: number | null): Loads {
  const line = stderr.split('\n').find((l) => l.startsWith('hopscope-loads '));
  if (!line) throw new Error(`no load record in stderr: ${stderr}`);
  return { code, stdout, ...(JSON.parse(line.slice('hopscope-loads '.length)) as Omit<Loads, 'code' | 'stdout'>) };
}

function hopscope(args: string[]): Promise<Loads> {
  return new Promise((done) => {
    execFile(ARGV[0]!, [...ARGV.slice(1), ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (err as { code?: number }).code : 0;
      done(loadsOf(stdout, stderr, typeof code === 'number' ? code : null));
    });
  });
}

const usesPackage = (loads: Loads, name: string) => loads.packages.some((p) => p.includes(`/node_modules/${name}/`));

ensureBuilt();

describe('hopscope start-up loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-loads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([['--version'], ['--help']])('%s compiles only the command line and requires no package', async (flag) => {
    const run = await hopscope([flag]);
    expect(run.code).toBe(0);
    expect(run.compiled).toEqual(['hopscope.cjs']);
    expect(run.packages).toEqual([]);
  });

  it("a trace's chunk builds its schemas with zod/mini and carries no classic zod", () => {
    // Classic zod attaches dozens of methods to every schema it builds; a trace builds its ~130 with mini.
    const chunk = readFileSync(join(ROOT, 'out/cli/trace.cjs'), 'utf8');
    expect(chunk).toContain('ZodMiniObject');
    expect(chunk).not.toMatch(/[`'"]ZodObject[`'"]/); // core's is `$ZodObject`
  });

  it("a trace's chunk leaves the live view (its keys, frames and help) to a chunk of its own", () => {
    // Only a live view on a terminal (or -p's keys) requires it: a report, JSON or CSV run never reads it.
    const help = 'any key closes it';
    expect(readFileSync(join(ROOT, 'out/cli/trace.cjs'), 'utf8')).not.toContain(help);
    expect(readFileSync(join(ROOT, 'out/cli/liveControl.cjs'), 'utf8')).toContain(help);
  });

  it('report loads the history store and DuckDB (so the checks below can see them)', async () => {
    const run = await hopscope(['report', '--list', join(dir, 'missing.duckdb')]);
    expect(run.code).toBe(1);
    expect(run.compiled).toEqual(expect.arrayContaining(['hopscope.cjs', 'trace.cjs']));
    expect(run.compiled.length).toBeGreaterThan(2);
    expect(usesPackage(run, '@duckdb/node-api')).toBe(true);
  });
});

describeWithNetwork('hopscope trace start-up loads, on a namespace network', (getNet) => {
  it('a trace compiles the command line and the trace chunk only: no DuckDB, no AS/country data', async () => {
    const net = getNet();
    const r = await net.runInClient([...ARGV, net.target.v4, '-c', '1', '-n', '--json'], { timeoutMs: 60_000 });
    const run = loadsOf(r.stdout, r.stderr, r.code);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'hopscope.trace' });
    expect(run.compiled).toEqual(['hopscope.cjs', 'trace.cjs']);
    expect(usesPackage(run, '@duckdb/node-api')).toBe(false);
    expect(run.packages.filter((p) => p.includes('@ip-location-db'))).toEqual([]);
    // `-n` and an IP literal resolve no name: node:dns stays unloaded (the route check's UDP socket too).
    expect(run.builtins).toContain('child_process');
    expect(run.builtins).not.toContain('dns');
  });

  it('a trace of a name loads node:dns when it resolves it', async () => {
    const net = getNet();
    const r = await net.runInClient([...ARGV, net.target.name, '-c', '1', '-n', '--json'], { timeoutMs: 60_000 });
    const run = loadsOf(r.stdout, r.stderr, r.code);
    expect(run.code).toBe(0);
    const { target } = JSON.parse(run.stdout) as { target: { input: string; address: string } };
    expect(target.input).toBe(net.target.name);
    expect([net.target.v4, net.target.v6]).toContain(target.address);
    expect(run.builtins).toContain('dns');
  });

  it.each([
    ['-x', 'mtrXml.cjs'],
    ['-l', 'mtrRaw.cjs'],
    ['-p', 'mtrSplit.cjs'],
  ])('%s compiles its writer beside the trace chunk, which the other runs never load', async (flag, chunk) => {
    const net = getNet();
    const r = await net.runInClient([...ARGV, net.target.v4, '-c', '1', '-n', flag], { timeoutMs: 60_000 });
    const run = loadsOf(r.stdout, r.stderr, r.code);
    expect(run.code).toBe(0);
    expect(run.compiled).toEqual(['hopscope.cjs', 'trace.cjs', chunk]);
  });
});
