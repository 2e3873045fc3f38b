/**
 * CLI start-up: whole-process wall time of `node -e 0` (the floor),
 * `hopscope --version`, `hopscope --help` and one complete trace
 * (`hopscope TARGET -c 1 -n --json`) on the namespace test network, beside
 * `mtr -r -c 1` and `traceroute -q 1` to the same target in the same run,
 * and a bare round (bench/oneRoundFloor.cjs: the same probes and silent-hop
 * wait over mtr-packet with no Hopscope code), which is the floor any trace in
 * Node has: the trace's ratio to it is what Hopscope itself adds.
 * Every command runs inside the client namespace (same `ip netns exec`
 * prefix), runs are interleaved so machine noise hits all alike, and the
 * figures are medians reported as ratios. Needs root.
 *   npm run bench:cli
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runBenchmark, saveResult, withTestNetwork } from './benchRunner';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { ICMP_RATE_LIMIT_GAP_MS, median, sleep, timeCommand } from './processTiming';
import { MIN_SILENT_WAIT_MS, NEAR_FACTOR } from '../src/main/trace/silentHopWait';
import { TRACE_OPTION_DEFAULTS } from '../src/shared/traceOptionDefaults';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const HOPSCOPE = [process.execPath, join(ROOT, 'bin/hopscope')];
const CLI_OUT = join(ROOT, 'out/cli');

/** Minified JavaScript a run compiles: the command line alone (--version, --help), with a trace's chunk, and all. */
function bundleKb(): Record<string, number> {
  const kb = (files: string[]) =>
    Math.round(files.reduce((sum, file) => sum + statSync(join(CLI_OUT, file)).size, 0) / 102.4) / 10;
  const all = readdirSync(CLI_OUT).filter((file) => file.endsWith('.cjs'));
  return {
    'hopscope.cjs (--version, --help)': kb(['hopscope.cjs']),
    '+ trace.cjs (a trace)': kb(['hopscope.cjs', 'trace.cjs']),
    [`all ${all.length} files`]: kb(all),
  };
}

const NODE_BARE = 'node -e 0, no NODE_EXTRA_CA_CERTS';
const BARE_ROUND = 'bare round in Node (floor)';
const BARE_ROUND_NO_CA = 'bare round, no NODE_EXTRA_CA_CERTS';
const TRACE_BARE = 'trace, no NODE_EXTRA_CA_CERTS';

interface Contender {
  argv: string[];
  /** Whether routers answer it (then the next such run waits out ICMP rate limiting). */
  probes: boolean;
  check?: (stdout: string) => string | null;
}

async function main(): Promise<void> {
  ensureBuilt();
  await withTestNetwork(async (net) => {
    const target = net.target.v4;
    const contenders: Record<string, Contender> = {
      'node -e 0': { argv: [process.execPath, '-e', '0'], probes: false },
      'hopscope --version': {
        argv: [...HOPSCOPE, '--version'],
        probes: false,
        check: (out) => (/^\d+\.\d+\.\d+/.test(out) ? null : 'no version printed'),
      },
      'hopscope --help': {
        argv: [...HOPSCOPE, '--help'],
        probes: false,
        check: (out) => (out.includes('Usage: hopscope') ? null : 'no usage printed'),
      },
      'hopscope TARGET -c 1 -n --json': {
        argv: [...HOPSCOPE, target, '-c', '1', '-n', '--json'],
        probes: true,
        check: (out) => {
          const doc = JSON.parse(out) as { hops?: { ttl: number }[] };
          const deepest = Math.max(...(doc.hops ?? []).map((h) => h.ttl));
          return deepest === net.destinationTtl ? null : `reached TTL ${deepest}, not ${net.destinationTtl}`;
        },
      },
      // What any Node program pays for the same round: start-up, mtr-packet, the same probes and wait.
      [BARE_ROUND]: {
        argv: [
          process.execPath,
          join(ROOT, 'bench/oneRoundFloor.cjs'),
          target,
          ...[TRACE_OPTION_DEFAULTS.maxTtl, MIN_SILENT_WAIT_MS, NEAR_FACTOR].map(String),
        ],
        probes: true,
        check: (out) => {
          const answers = JSON.parse(out) as Record<string, { kind: string }>;
          return answers[net.destinationTtl]?.kind === 'reply' ? null : `no reply from TTL ${net.destinationTtl}`;
        },
      },
      'mtr -r -c 1': { argv: ['mtr', '-r', '-c', '1', '-n', target], probes: true },
      'traceroute -q 1': { argv: ['traceroute', '-n', '-q', '1', target], probes: true },
    };
    // Node parses the NODE_EXTRA_CA_CERTS bundle at every start-up (about 30 ms here): the floor and the
    // trace both pay it, which flatters the ratio. The same pair without it shows the ratio on a machine
    // that does not set it (the 50 ms silent-hop wait is then a larger share).
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const withoutCaCerts = (c: Contender): Contender => ({
        ...c,
        argv: ['env', '-u', 'NODE_EXTRA_CA_CERTS', ...c.argv],
      });
      contenders[NODE_BARE] = withoutCaCerts(contenders['node -e 0']!);
      contenders[TRACE_BARE] = withoutCaCerts(contenders['hopscope TARGET -c 1 -n --json']!);
      contenders[BARE_ROUND_NO_CA] = withoutCaCerts(contenders[BARE_ROUND]!);
    }
    const times: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    for (let run = 0; run < RUNS; run++) {
      for (const [name, c] of Object.entries(contenders)) {
        const r = await timeCommand([...net.clientPrefix, ...c.argv]);
        if (r.code !== 0) throw new Error(`${name} exited ${r.code}`);
        const problem = c.check?.(r.stdout);
        if (problem) throw new Error(`${name}: ${problem}`);
        (times[name] ??= []).push(r.ms);
        (cpu[name] ??= []).push(r.cpuMs);
        if (c.probes) await sleep(ICMP_RATE_LIMIT_GAP_MS);
      }
    }
    const medians = (xs: Record<string, number[]>) =>
      Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
    const trace = 'hopscope TARGET -c 1 -n --json';
    const ratios = (med: Record<string, number>) => {
      const ratio = (a: string, b: string) => Math.round((med[a]! / med[b]!) * 100) / 100;
      return {
        'hopscope --version / node -e 0': ratio('hopscope --version', 'node -e 0'),
        'hopscope --help / node -e 0': ratio('hopscope --help', 'node -e 0'),
        'hopscope trace / node -e 0': ratio(trace, 'node -e 0'),
        'bare round in Node / node -e 0': ratio(BARE_ROUND, 'node -e 0'),
        'hopscope trace / bare round in Node': ratio(trace, BARE_ROUND),
        'hopscope trace / mtr -r -c 1': ratio(trace, 'mtr -r -c 1'),
        'hopscope trace / traceroute -q 1': ratio(trace, 'traceroute -q 1'),
        ...(med[TRACE_BARE]
          ? {
              'without NODE_EXTRA_CA_CERTS: trace / node -e 0': ratio(TRACE_BARE, NODE_BARE),
              'without NODE_EXTRA_CA_CERTS: bare round / node -e 0': ratio(BARE_ROUND_NO_CA, NODE_BARE),
            }
          : {}),
      };
    };
    const med = medians(times);
    const cpuMed = medians(cpu);
    const result = {
      benchmark: `CLI start-up, whole process, ${net.destinationTtl}-hop namespace path with a silent hop`,
      runs: RUNS,
      medianMs: med,
      ratios: ratios(med),
      // CPU time (user + system, children included: mtr-packet for hopscope and mtr) is what a loaded machine inflates least.
      medianCpuMs: cpuMed,
      cpuRatios: ratios(cpuMed),
      goals: {
        'hopscope --version / node -e 0': 1.3,
        'hopscope --help / node -e 0': 1.3,
        'hopscope trace / node -e 0': 2,
      },
      bundleKb: bundleKb(),
      node: process.version,
      // Every Node here (the floor included) parses this bundle of CA certificates at start-up (about 30 ms of CPU).
      nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null,
    };
    console.log(`CLI start-up (${RUNS} interleaved runs each, median wall time)`);
    console.log(`  ${''.padEnd(52)}  wall ms   CPU ms`);
    for (const [k, v] of Object.entries(med))
      console.log(`  ${k.padEnd(52)} ${v.toFixed(0).padStart(7)} ${cpuMed[k]!.toFixed(0).padStart(8)}`);
    for (const [k, v] of Object.entries(result.ratios))
      console.log(
        `  ${k.padEnd(52)} ${v.toFixed(2).padStart(6)}× ${(result.cpuRatios as Record<string, number>)[k]!.toFixed(2).padStart(7)}×`,
      );
    console.log(`  minified kB: ${JSON.stringify(result.bundleKb)}; NODE_EXTRA_CA_CERTS=${result.nodeExtraCaCerts}`);
    saveResult('cli-startup.json', result);
  });
}

runBenchmark(main);
