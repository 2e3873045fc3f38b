import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ScriptedMtrPacket, scriptedEngine } from '../../fixtures/scriptedEngine';
import { TargetRunner, type TargetSnapshot } from '../../../src/agent/targetRunner';
import { NO_RECORDING } from '../../../src/agent/recorder';
import { renderAgentMetrics } from '../../../src/agent/metricsText';
import { escapeLabelValue, formatSampleValue } from '../../../src/agent/exposition';
import type { AgentSnapshot } from '../../../src/agent/agent';
import type { ProbeEngine } from '../../../src/main/service/probeEngine';
import { waitFor } from './waitFor';

const DESTINATION = '198.18.9.9';
const PATH = [{ responders: ['198.18.0.1'], rttMs: 1 }, { responders: [] }, { responders: ['198.18.0.3'], rttMs: 30 }];
const BUILD = { version: '9.9.9', nodeVersion: 'v20.0.0' };

/** Parses `name{labels} value` lines into a map keyed by the series as written. */
function series(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function agentOf(targets: TargetSnapshot[]): AgentSnapshot {
  return {
    targets,
    process: { residentMemoryBytes: 5e7, heapUsedBytes: 2e7, cpuSeconds: 1.5, startTimeSeconds: 1_800_000_000 },
    probesInFlight: 3,
    mtrPacketVersion: '0.95',
    probesHeldBack: 0,
    mtrPacketRestarts: 1,
    reloads: { succeeded: 2, failed: 1, lastSucceeded: false },
  };
}

describe('agent metrics for a known session', () => {
  let runner: TargetRunner | undefined;
  let transport: ScriptedMtrPacket | undefined;
  let engine: ProbeEngine | undefined;
  afterEach(async () => {
    await runner?.stop();
    transport?.releaseSilent();
    await engine?.close();
  });

  it('renders every per-target and per-hop family with target and ttl labels', async () => {
    transport = new ScriptedMtrPacket(PATH, DESTINATION, 2);
    engine = await scriptedEngine(transport);
    const options = traceOptionsSchema.parse({ target: DESTINATION, intervalSec: 0.05, timeoutSec: 1, dns: false });
    runner = new TargetRunner('edge-1', options, {
      engine,
      recorder: NO_RECORDING,
      retry: { initialMs: 10, maxMs: 10 },
      log: () => undefined,
    });
    runner.start();
    await waitFor(() => runner!.snapshot().rounds >= 3 && runner!.snapshot().hops.length === 4);
    const snapshot = runner.snapshot();
    const text = renderAgentMetrics(agentOf([snapshot]), BUILD);
    const s = series(text);

    expect(s.get('hopscope_agent_build_info{version="9.9.9",node_version="v20.0.0",mtr_packet_version="0.95"}')).toBe(
      1,
    );
    expect(s.get('hopscope_agent_config_reloads_total{result="failure"}')).toBe(1);
    expect(s.get('process_resident_memory_bytes')).toBe(5e7);
    expect(s.get('process_cpu_seconds_total')).toBe(1.5);
    expect(s.get('hopscope_agent_config_last_reload_successful')).toBe(0);
    expect(s.get('hopscope_target_up{target="edge-1"}')).toBe(1);
    expect(s.get('hopscope_target_state{target="edge-1",state="up"}')).toBe(1);
    expect(s.get('hopscope_target_state{target="edge-1",state="error"}')).toBe(0);
    expect(s.get('hopscope_target_destination_reached{target="edge-1"}')).toBe(1);
    expect(s.get('hopscope_target_hops{target="edge-1"}')).toBe(4);
    const destination = snapshot.hops.find((h) => h.ttl === 4)!;
    expect(s.get('hopscope_target_destination_sent_total{target="edge-1"}')).toBe(destination.sent);
    expect(s.get('hopscope_target_destination_received_total{target="edge-1"}')).toBe(destination.received);
    expect(s.get(`hopscope_target_info{target="edge-1",host="${DESTINATION}",address="${DESTINATION}"}`)).toBe(1);
    // The silent hop: everything lost, no RTT series at all.
    expect(s.get('hopscope_hop_loss_ratio{target="edge-1",ttl="2"}')).toBe(1);
    expect(s.get('hopscope_hop_received_total{target="edge-1",ttl="2"}')).toBe(0);
    expect(s.has('hopscope_hop_rtt_avg_seconds{target="edge-1",ttl="2"}')).toBe(false);
    expect(s.get('hopscope_hop_loss_ratio{target="edge-1",ttl="4"}')).toBe(0);
    // RTTs in seconds: hop 3 answers in 30 ms.
    expect(s.get('hopscope_hop_rtt_avg_seconds{target="edge-1",ttl="3"}')).toBeCloseTo(0.03, 6);
    expect(s.get('hopscope_hop_rtt_best_seconds{target="edge-1",ttl="3"}')).toBeCloseTo(0.03, 6);
    expect(s.get('hopscope_hop_rtt_stdev_seconds{target="edge-1",ttl="3"}')).toBe(0);
    // Histogram: 30 ms replies are above le=0.02 and within le=0.05; cumulative; +Inf equals _count.
    const hop3 = snapshot.hops.find((h) => h.ttl === 3)!;
    expect(hop3.histogram.count).toBe(hop3.received);
    expect(s.get('hopscope_hop_rtt_seconds_bucket{target="edge-1",ttl="3",le="0.02"}')).toBe(0);
    expect(s.get('hopscope_hop_rtt_seconds_bucket{target="edge-1",ttl="3",le="0.05"}')).toBe(hop3.received);
    expect(s.get('hopscope_hop_rtt_seconds_bucket{target="edge-1",ttl="3",le="+Inf"}')).toBe(hop3.received);
    expect(s.get('hopscope_hop_rtt_seconds_sum{target="edge-1",ttl="3"}')).toBeCloseTo(0.03 * hop3.received, 6);
    expect(s.get('hopscope_hop_responder_received_total{target="edge-1",ttl="1",address="198.18.0.1"}')).toBe(
      snapshot.hops[0]!.received,
    );

    // Every sample line carries target (and ttl for hop_ series), and the names follow the conventions.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      if (line.startsWith('hopscope_target_') || line.startsWith('hopscope_hop_'))
        expect(line).toMatch(/\{target="edge-1"/);
      if (line.startsWith('hopscope_hop_')) expect(line).toMatch(/,ttl="\d+"/);
    }
    for (const type of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      if (type[2] === 'counter') expect(type[1]).toMatch(/_total$/);
      if (type[1]!.includes('rtt')) expect(type[1]).toMatch(/_seconds$/);
    }
    // Prometheus's own linter (exits non-zero on a format error or a naming problem); CI installs it.
    if (existsSync('/usr/bin/promtool')) execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text });
    else expect(process.env.CI ?? '', 'promtool is required in CI').toMatch(/^(|0|false)$/);
  });

  it('reports a target whose name does not resolve as an error, and retries it with backoff', async () => {
    transport = new ScriptedMtrPacket(PATH, DESTINATION, 2);
    let lookups = 0;
    // The engine's resolver, with a lookup that finds nothing (as getaddrinfo would for this name).
    engine = await scriptedEngine(transport, {
      forwardLookup: (host) => {
        lookups++;
        return Promise.reject(Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' }));
      },
    });
    const options = traceOptionsSchema.parse({ target: 'nowhere.hopscope.test', intervalSec: 0.05, dns: false });
    runner = new TargetRunner('lost', options, {
      engine,
      recorder: NO_RECORDING,
      retry: { initialMs: 20, maxMs: 40 },
      log: () => undefined,
    });
    runner.start();
    await waitFor(() => runner!.snapshot().retries >= 3);
    const snapshot = runner.snapshot();
    expect(snapshot.status).toBe('error');
    expect(snapshot.error?.code, JSON.stringify(snapshot.error)).toBe('resolve-failed');
    expect(lookups).toBeGreaterThanOrEqual(4);
    const s = series(renderAgentMetrics(agentOf([snapshot]), BUILD));
    expect(s.get('hopscope_target_up{target="lost"}')).toBe(0);
    expect(s.get('hopscope_target_state{target="lost",state="error"}')).toBe(1);
    expect(s.get(`hopscope_target_error{target="lost",code="${snapshot.error!.code}"}`)).toBe(1);
    expect(transport.sent).toHaveLength(0);
  });
});

describe('exposition escaping', () => {
  it('escapes backslashes, quotes and newlines in label values, in that order', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('\\n')).toBe('\\\\n');
  });

  it('round-trips any label value through escaping', () => {
    const unescape = (v: string) => v.replace(/\\(\\|"|n)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeLabelValue(value);
        expect(unescape(escaped)).toBe(value);
        expect(escaped).not.toMatch(/\n/);
        expect(escaped).not.toMatch(/(^|[^\\])(\\\\)*"/);
      }),
    );
  });

  it('writes hostile label values escaped in the rendered text', () => {
    const hostile: TargetSnapshot = {
      name: 'x',
      target: 'host"with\\odd\nchars',
      address: null,
      status: 'error',
      error: { code: 'internal', title: 't', detail: 'd' },
      destinationTtl: null,
      rounds: 0,
      retries: 0,
      pathChanges: 0,
      hops: [],
    };
    const text = renderAgentMetrics(agentOf([hostile]), BUILD);
    expect(text).toContain('hopscope_target_info{target="x",host="host\\"with\\\\odd\\nchars",address=""} 1\n');
    expect(text.split('\n').filter((l) => l.startsWith('hopscope_target_info'))).toHaveLength(1);
  });

  it('formats special values as Prometheus reads them', () => {
    expect([NaN, Infinity, -Infinity, 0.25, 3].map(formatSampleValue)).toEqual(['NaN', '+Inf', '-Inf', '0.25', '3']);
  });
});
