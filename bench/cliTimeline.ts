/**
 * Where a one-round trace's wall time goes (issue #13: `hopscope TARGET -c 1`
 * within 2× `node -e 0`): each phase on the critical path of
 * `hopscope TARGET -c 1 -n --json` on the namespace test network (5 hops, one
 * of them silent), as medians of interleaved runs, beside the same marks in
 * `node -e 0`. bench/cliTimelineMarks.cjs, preloaded into both, records the
 * moments. The silent hop's wait (MIN_SILENT_WAIT_MS after its probe left)
 * is fixed; every other phase is what the CLI itself costs. Needs root.
 *   npm run bench:cli-timeline
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { runBenchmark, saveResult, withTestNetwork } from './benchRunner';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { ICMP_RATE_LIMIT_GAP_MS, median, sleep } from './processTiming';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const PRELOAD = ['--require', join(ROOT, 'bench/cliTimelineMarks.cjs')];

type Marks = Record<string, number>;

/** Phases of a trace: [name, from mark, to mark]. */
const TRACE_PHASES: [string, string, string][] = [
  ['Node start-up, to the first line of user code', 'nodeStart', 'userCode'],
  ['bin/hopscope, to compiling the command line', 'userCode', 'compile hopscope.cjs'],
  ['command line: compile, commander, parse', 'compile hopscope.cjs', 'ran hopscope.cjs'],
  ['to loading the trace chunk (import())', 'ran hopscope.cjs', 'compile trace.cjs'],
  ['trace chunk: compile (code cache)', 'compile trace.cjs', 'compiled trace.cjs'],
  ['trace chunk: run (zod schemas, engine)', 'run trace.cjs', 'ran trace.cjs'],
  ['flags checked, engine made, to spawn', 'ran trace.cjs', 'spawn'],
  ['spawn() (fork, exec)', 'spawn', 'spawned'],
  ['mtr-packet version check', 'spawned', 'version check answered'],
  ['session start (route check) to first probe', 'version check answered', 'first probe written'],
  ['first probe to output (silent-hop wait, report)', 'first probe written', 'output written'],
  ['output to exit', 'output written', 'exit'],
];

function runMarked(prefix: string[], argv: string[]): Promise<Marks> {
  return new Promise((done, fail) => {
    const child = spawn(prefix[0]!, [...prefix.slice(1), process.execPath, ...PRELOAD, ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('hopscope-timeline '));
      if (code !== 0 || !line) fail(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
      else done(JSON.parse(line.slice('hopscope-timeline '.length)) as Marks);
    });
  });
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

async function main(): Promise<void> {
  ensureBuilt();
  await withTestNetwork(async (net) => {
    const traces: Marks[] = [];
    const floors: Marks[] = [];
    for (let run = 0; run < RUNS; run++) {
      floors.push(await runMarked(net.clientPrefix, ['-e', '0']));
      traces.push(
        await runMarked(net.clientPrefix, [join(ROOT, 'bin/hopscope'), net.target.v4, '-c', '1', '-n', '--json']),
      );
      await sleep(ICMP_RATE_LIMIT_GAP_MS);
    }
    const phase = (runs: Marks[], from: string, to: string) => round1(median(runs.map((m) => m[to]! - m[from]!)));
    const phasesMs = Object.fromEntries(TRACE_PHASES.map(([name, from, to]) => [name, phase(traces, from, to)]));
    const nodeExit = phase(floors, 'nodeStart', 'exit');
    const traceExit = phase(traces, 'nodeStart', 'exit');
    const result = {
      benchmark: `Critical path of hopscope TARGET -c 1 -n --json, ${net.destinationTtl}-hop namespace path with a silent hop`,
      runs: RUNS,
      // Medians of each phase alone, so they need not add up to the whole exactly.
      phasesMs,
      nodeE0Ms: { 'start-up, to user code': phase(floors, 'nodeStart', 'userCode'), 'to exit': nodeExit },
      traceToExitMs: traceExit,
      'trace / node -e 0, start to exit, in process': Math.round((traceExit / nodeExit) * 100) / 100,
      loadAverage: (await import('node:os')).loadavg().map(round1),
    };
    console.log(`hopscope TARGET -c 1 -n --json: critical path (${RUNS} interleaved runs, median ms per phase)`);
    for (const [name, ms] of Object.entries(phasesMs)) console.log(`  ${name.padEnd(50)} ${ms.toFixed(1).padStart(6)}`);
    console.log(`  ${'whole, start to exit'.padEnd(50)} ${traceExit.toFixed(1).padStart(6)}`);
    console.log(`  ${'node -e 0, start to exit'.padEnd(50)} ${nodeExit.toFixed(1).padStart(6)}`);
    console.log(`  load average: ${result.loadAverage.join(' ')}`);
    saveResult('cli-timeline.json', result);
  });
}

runBenchmark(main);
