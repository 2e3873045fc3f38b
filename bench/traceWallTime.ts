/**
 * Whole-process wall time for one complete trace (`--count 1`) on the
 * namespace test network, against `mtr -r -c 1` and `traceroute -n -q 1`
 * measured in the same run. Prints medians and ratios; needs root.
 *   npm run bench:trace
 */
import { join, resolve } from 'node:path';
import { runBenchmark, saveResult, withTestNetwork } from './benchRunner';
import type { TestNetwork } from '../test/net/testNetwork';
import { ensureBuilt } from '../test/fixtures/ensureBuilt';
import { MtrPacketClient } from '../src/main/mtr/client';
import { TraceSession } from '../src/main/trace/traceSession';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ICMP_RATE_LIMIT_GAP_MS, median, sleep, timeCommand } from './processTiming';

/** The engine alone: one complete trace over an already-open mtr-packet, without Node's startup. */
async function timeEngine(net: TestNetwork, runs: number): Promise<number[]> {
  const client = new MtrPacketClient({ path: net.mtrPacketPath });
  await client.open();
  try {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const options = traceOptionsSchema.parse({ target: net.target.v4, count: 1, dns: false });
      const session = new TraceSession('bench', options, { transport: client }, () => undefined);
      const start = process.hrtime.bigint();
      await session.start();
      const summary = await session.done;
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (summary.destinationTtl !== net.destinationTtl) throw new Error('engine trace did not reach the target');
    }
    return times;
  } finally {
    await client.close();
  }
}

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function main(): Promise<void> {
  ensureBuilt();
  await withTestNetwork(async (net) => {
    const target = net.target.v4;
    const tools: Record<string, string[]> = {
      hopscope: [process.execPath, join(ROOT, 'bin/hopscope'), target, '-c', '1', '-n', '--report'],
      'mtr -r -c 1': ['mtr', '-r', '-c', '1', '-n', target],
      'traceroute -n -q 1': ['traceroute', '-n', '-q', '1', target],
    };
    const times: Record<string, number[]> = {};
    // Interleave the tools so machine noise hits all of them alike.
    for (let run = 0; run < RUNS; run++) {
      for (const [name, argv] of Object.entries(tools)) {
        const r = await timeCommand([...net.clientPrefix, ...argv]);
        await sleep(ICMP_RATE_LIMIT_GAP_MS);
        if (r.code !== 0) throw new Error(`${name} exited ${r.code}`);
        if (name === 'hopscope' && !r.stdout.includes(target)) throw new Error('hopscope did not reach the target');
        (times[name] ??= []).push(r.ms);
      }
    }
    times['engine, in process'] = await timeEngine(net, RUNS);
    const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const ours = med.hopscope!;
    const result = {
      benchmark: 'one complete trace, whole process, 6-hop namespace path with a silent hop',
      runs: RUNS,
      medianMs: med,
      ratios: {
        'hopscope / mtr -r -c 1': ours / med['mtr -r -c 1']!,
        'hopscope / traceroute -n -q 1': ours / med['traceroute -n -q 1']!,
        'engine / traceroute -n -q 1': med['engine, in process']! / med['traceroute -n -q 1']!,
      },
    };
    console.log(`one complete trace (${RUNS} runs each, median wall time)`);
    for (const [k, v] of Object.entries(med)) console.log(`  ${k.padEnd(22)} ${v.toFixed(0).padStart(6)} ms`);
    for (const [k, v] of Object.entries(result.ratios)) console.log(`  ${k.padEnd(32)} ${v.toFixed(2)}×`);
    saveResult('trace-wall-time.json', result);
  });
}

runBenchmark(main);
