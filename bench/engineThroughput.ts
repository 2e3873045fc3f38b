/**
 * Engine throughput: many sessions probing at once over one mtr-packet, as
 * many probes in flight as its slot limit allows (MTR_PACKET_MAX_PROBES,
 * mtr's packet/probe.h), through the ProbeScheduler the app uses. Each
 * session sends 30 probes at once per round; with 30 sessions that is 900 in
 * flight. The TTLs start at the target's distance, so every probe is answered
 * by the target's echo reply, which routers' ICMP rate limiting does not
 * touch: a missing or mismatched reply is a failure, not network noise.
 *
 * Reports the Node process's CPU time (process.cpuUsage(): the engine, not
 * mtr-packet, which is another process) per probe, for 1, 10 and 30 sessions
 * with the same total of probes; flat means the cost does not grow with the
 * number of sessions. Needs root.
 *   npm run bench:engine
 */
import { runBenchmark, saveResult, withTestNetwork } from './benchRunner';
import type { TestNetwork } from '../test/net/testNetwork';
import { MtrPacketClient } from '../src/main/mtr/client';
import { MTR_PACKET_MAX_PROBES, ProbeScheduler } from '../src/main/probing/probeScheduler';
import type { ProbeResult } from '@shared/probe';

const TTLS_PER_SESSION = 30;
const SESSION_COUNTS = [1, 10, 30];
/** Probes per measurement, whatever the number of sessions (rounded up to whole rounds). */
const PROBES = Number(process.env.BENCH_PROBES ?? 27_000);
const WARM_UP_ROUNDS = 3;

interface Measurement {
  sessions: number;
  rounds: number;
  probes: number;
  peakInFlight: number;
  wallMs: number;
  cpuUsPerProbe: number;
  probesPerSecond: number;
}

/** One round: every session sends its TTLs at once; resolves when every probe has its answer. */
async function round(
  sessions: ReturnType<ProbeScheduler['forSession']>[],
  scheduler: ProbeScheduler,
  net: TestNetwork,
): Promise<{ results: ProbeResult[]; inFlight: number }> {
  const pending: Promise<ProbeResult>[] = [];
  for (const session of sessions) {
    for (let i = 0; i < TTLS_PER_SESSION; i++) {
      pending.push(session.probe(net.target.v4, { ttl: net.destinationTtl + i, timeoutSec: 2 }));
    }
  }
  const inFlight = scheduler.inFlight();
  return { results: await Promise.all(pending), inFlight };
}

async function measure(client: MtrPacketClient, net: TestNetwork, sessionCount: number): Promise<Measurement> {
  const scheduler = new ProbeScheduler(client, {
    maxInFlight: MTR_PACKET_MAX_PROBES - 1,
    maxInFlightPerSession: TTLS_PER_SESSION,
  });
  const sessions = Array.from({ length: sessionCount }, (_, i) => scheduler.forSession(`bench-${sessionCount}-${i}`));
  const rounds = Math.ceil(PROBES / (sessionCount * TTLS_PER_SESSION));
  for (let i = 0; i < WARM_UP_ROUNDS; i++) await round(sessions, scheduler, net); // JIT, buffers
  let peakInFlight = 0;
  let probes = 0;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    const { results, inFlight } = await round(sessions, scheduler, net);
    peakInFlight = Math.max(peakInFlight, inFlight);
    for (const result of results) {
      if (result.result !== 'reply' || result.responder !== net.target.v4) {
        throw new Error(`${sessionCount} sessions, round ${r}: ${result.result} from ${result.responder}`);
      }
    }
    probes += results.length;
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  scheduler.close();
  return {
    sessions: sessionCount,
    rounds,
    probes,
    peakInFlight,
    wallMs: Math.round(wallMs),
    cpuUsPerProbe: Math.round(((cpu.user + cpu.system) / probes) * 10) / 10,
    probesPerSecond: Math.round(probes / (wallMs / 1000)),
  };
}

async function main(): Promise<void> {
  await withTestNetwork(async (net) => {
    const client = new MtrPacketClient({ path: net.mtrPacketPath });
    try {
      await client.open();
      // Untimed, so the first measurement does not pay for compiling the engine.
      await measure(client, net, SESSION_COUNTS.at(-1)!);
      const results: Measurement[] = [];
      for (const sessions of SESSION_COUNTS) {
        const m = await measure(client, net, sessions);
        results.push(m);
        console.log(
          `${String(sessions).padStart(2)} sessions × ${TTLS_PER_SESSION} TTLs: ${m.probes} probes, ` +
            `peak ${m.peakInFlight} in flight, ${m.cpuUsPerProbe} µs CPU/probe, ${m.probesPerSecond} probes/s`,
        );
      }
      const base = results[0]!.cpuUsPerProbe;
      const output = {
        benchmark:
          `engine CPU per probe (Node process only, not mtr-packet): N sessions × ${TTLS_PER_SESSION} probes at once ` +
          'over one mtr-packet through the ProbeScheduler, every probe answered by the target (namespace network)',
        mtrPacketMaxProbes: MTR_PACKET_MAX_PROBES,
        results,
        cpuPerProbeRatioTo1Session: Object.fromEntries(
          results.map((m) => [
            `${m.sessions} session${m.sessions === 1 ? '' : 's'}`,
            Math.round((m.cpuUsPerProbe / base) * 100) / 100,
          ]),
        ),
        node: process.version,
      };
      saveResult('engine.json', output);
      console.log('CPU per probe relative to 1 session:', output.cpuPerProbeRatioTo1Session);
    } finally {
      await client.close();
    }
  });
}

runBenchmark(main);
