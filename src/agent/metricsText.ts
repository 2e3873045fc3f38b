/**
 * The agent's metrics: a pure rendering of its snapshot. Every per-target
 * series carries `target` (the config's name), every per-hop one also `ttl`.
 * Names follow Prometheus conventions: base units (`_seconds`), `_total` for
 * counters, `_ratio` for fractions, `_info` for constant-1 metadata series.
 */
import { ExpositionWriter, formatLabelPairs, type Labels, type MetricType } from './exposition';
import { RTT_BUCKETS_SECONDS, type HopMetrics, type RttSummary } from './hopMetrics';
import { TARGET_STATUSES, type TargetSnapshot } from './targetRunner';
import type { AgentSnapshot } from './agent';

export interface BuildInfo {
  version: string;
  nodeVersion: string;
}

type HopValue = (hop: HopMetrics) => number | null;

const HOP_GAUGES: readonly [string, MetricType, string, HopValue][] = [
  ['hopscope_hop_sent_total', 'counter', 'Probes sent at this TTL.', (h) => h.sent],
  ['hopscope_hop_received_total', 'counter', 'Replies received at this TTL.', (h) => h.received],
  ['hopscope_hop_loss_ratio', 'gauge', 'Share of probes at this TTL without a reply (0 to 1).', (h) => h.lossRatio],
];

const RTT_GAUGES: readonly [string, string, keyof RttSummary][] = [
  ['hopscope_hop_rtt_last_seconds', 'Round-trip time of the latest reply at this TTL.', 'lastMs'],
  ['hopscope_hop_rtt_avg_seconds', 'Mean round-trip time at this TTL.', 'avgMs'],
  ['hopscope_hop_rtt_best_seconds', 'Shortest round-trip time at this TTL.', 'bestMs'],
  ['hopscope_hop_rtt_worst_seconds', 'Longest round-trip time at this TTL.', 'worstMs'],
  ['hopscope_hop_rtt_stdev_seconds', 'Sample standard deviation of the round-trip time at this TTL.', 'stdevMs'],
];

const targetLabels = (t: TargetSnapshot): Labels => [['target', t.name]];
const hopLabels = (t: TargetSnapshot, h: HopMetrics): Labels => [
  ['target', t.name],
  ['ttl', String(h.ttl)],
];

/** The highest TTL of the path: the destination's once reached, else the highest hop probed. */
export function hopCount(target: TargetSnapshot): number {
  return target.destinationTtl ?? target.hops.reduce((max, h) => Math.max(max, h.ttl), 0);
}

function destinationHop(target: TargetSnapshot): HopMetrics | undefined {
  return target.destinationTtl === null ? undefined : target.hops.find((h) => h.ttl === target.destinationTtl);
}

function writeAgent(w: ExpositionWriter, agent: AgentSnapshot, build: BuildInfo): void {
  w.family('hopscope_agent_build_info', 'gauge', 'The agent build; always 1.').sample(
    'hopscope_agent_build_info',
    [
      ['version', build.version],
      ['node_version', build.nodeVersion],
      ['mtr_packet_version', agent.mtrPacketVersion ?? ''],
    ],
    1,
  );
  const proc: [string, MetricType, string, number][] = [
    [
      'process_resident_memory_bytes',
      'gauge',
      'Resident memory of the agent process.',
      agent.process.residentMemoryBytes,
    ],
    [
      'process_cpu_seconds_total',
      'counter',
      'CPU time of the agent process (user and system).',
      agent.process.cpuSeconds,
    ],
    [
      'process_start_time_seconds',
      'gauge',
      'When the agent process started, in seconds since the epoch.',
      agent.process.startTimeSeconds,
    ],
    ['nodejs_heap_size_used_bytes', 'gauge', 'JavaScript heap in use.', agent.process.heapUsedBytes],
  ];
  for (const [name, type, help, value] of proc) w.family(name, type, help).sample(name, [], value);
  w.family('hopscope_agent_targets', 'gauge', 'Targets in the running config.').sample(
    'hopscope_agent_targets',
    [],
    agent.targets.length,
  );
  w.family('hopscope_agent_probes_in_flight', 'gauge', 'Probes awaiting a reply from mtr-packet.').sample(
    'hopscope_agent_probes_in_flight',
    [],
    agent.probesInFlight,
  );
  w.family(
    'hopscope_agent_probes_held_back',
    'gauge',
    'Probes waiting for a free mtr-packet slot (the scheduler paces targets).',
  ).sample('hopscope_agent_probes_held_back', [], agent.probesHeldBack);
  w.family(
    'hopscope_agent_mtr_packet_restarts_total',
    'counter',
    'Times mtr-packet died and was restarted (sessions carry on, marked helper-restarted).',
  ).sample('hopscope_agent_mtr_packet_restarts_total', [], agent.mtrPacketRestarts);
  w.family('hopscope_agent_config_reloads_total', 'counter', 'Config reloads by result.')
    .sample('hopscope_agent_config_reloads_total', [['result', 'success']], agent.reloads.succeeded)
    .sample('hopscope_agent_config_reloads_total', [['result', 'failure']], agent.reloads.failed);
  w.family(
    'hopscope_agent_config_last_reload_successful',
    'gauge',
    '1 when the last config reload succeeded (or none was tried).',
  ).sample('hopscope_agent_config_last_reload_successful', [], agent.reloads.lastSucceeded ? 1 : 0);
}

function writeTargets(w: ExpositionWriter, targets: readonly TargetSnapshot[]): void {
  const perTarget = (name: string, type: MetricType, help: string, value: (t: TargetSnapshot) => number) => {
    w.family(name, type, help);
    for (const t of targets) w.sample(name, targetLabels(t), value(t));
  };
  w.family('hopscope_target_info', 'gauge', 'The configured host and the address traced; always 1.');
  for (const t of targets) {
    w.sample('hopscope_target_info', [...targetLabels(t), ['host', t.target], ['address', t.address ?? '']], 1);
  }
  perTarget('hopscope_target_up', 'gauge', '1 when the target is traced without error.', (t) =>
    t.status === 'up' ? 1 : 0,
  );
  w.family('hopscope_target_state', 'gauge', 'The target state: 1 for the current one of resolving, up, error.');
  for (const t of targets) {
    for (const state of TARGET_STATUSES) {
      w.sample('hopscope_target_state', [...targetLabels(t), ['state', state]], t.status === state ? 1 : 0);
    }
  }
  w.family('hopscope_target_error', 'gauge', 'Present (1) while the target is in error, with the error code.');
  for (const t of targets) {
    if (t.status === 'error' && t.error)
      w.sample('hopscope_target_error', [...targetLabels(t), ['code', t.error.code]], 1);
  }
  perTarget('hopscope_target_retries_total', 'counter', 'Sessions restarted after a failure.', (t) => t.retries);
  perTarget('hopscope_target_rounds_total', 'counter', 'Rounds completed by the current session.', (t) => t.rounds);
  perTarget('hopscope_target_destination_reached', 'gauge', '1 once the destination has answered.', (t) =>
    t.destinationTtl === null ? 0 : 1,
  );
  // The destination's own counters under a per-target name, so a loss alert needs no TTL match.
  perTarget(
    'hopscope_target_destination_sent_total',
    'counter',
    'Probes sent at the TTL of the destination (the current session).',
    (t) => destinationHop(t)?.sent ?? 0,
  );
  perTarget(
    'hopscope_target_destination_received_total',
    'counter',
    'Replies from the destination (the current session).',
    (t) => destinationHop(t)?.received ?? 0,
  );
  perTarget('hopscope_target_hops', 'gauge', 'TTL of the destination, or the highest TTL probed.', hopCount);
  perTarget(
    'hopscope_target_path_changes_total',
    'counter',
    'New responders at a TTL that already had one (ECMP branch or route change).',
    (t) => t.pathChanges,
  );
}

function writeHops(w: ExpositionWriter, targets: readonly TargetSnapshot[]): void {
  // Every hop series starts with the same target and ttl pairs: format them once per hop.
  const hops = targets.flatMap((t) => t.hops.map((h) => ({ h, pairs: formatLabelPairs(hopLabels(t, h)) })));
  for (const [name, type, help, value] of HOP_GAUGES) {
    w.family(name, type, help);
    for (const { h, pairs } of hops) {
      const v = value(h);
      if (v !== null) w.sampleWithPairs(name, pairs, v);
    }
  }
  // A hop that never answered has no RTT: its series are absent rather than 0.
  for (const [name, help, key] of RTT_GAUGES) {
    w.family(name, 'gauge', help);
    for (const { h, pairs } of hops) {
      const ms = h.rtt[key];
      if (ms !== null) w.sampleWithPairs(name, pairs, ms / 1000);
    }
  }
  w.family('hopscope_hop_rtt_seconds', 'histogram', 'Round-trip times of the replies at this TTL.');
  for (const { h, pairs } of hops) {
    let cumulative = 0;
    RTT_BUCKETS_SECONDS.forEach((le, i) => {
      cumulative += h.histogram.counts[i]!;
      w.sampleWithPairs('hopscope_hop_rtt_seconds_bucket', `${pairs},le="${le}"`, cumulative);
    });
    w.sampleWithPairs('hopscope_hop_rtt_seconds_bucket', `${pairs},le="+Inf"`, h.histogram.count);
    w.sampleWithPairs('hopscope_hop_rtt_seconds_sum', pairs, h.histogram.sumSeconds);
    w.sampleWithPairs('hopscope_hop_rtt_seconds_count', pairs, h.histogram.count);
  }
  w.family(
    'hopscope_hop_responder_received_total',
    'counter',
    'Replies from one responder at this TTL (the most recently seen responders of each hop).',
  );
  for (const { h, pairs } of hops) {
    for (const r of h.responders) {
      const extra: Labels =
        r.asn === undefined
          ? [['address', r.address]]
          : [
              ['address', r.address],
              ['asn', String(r.asn)],
            ];
      w.sampleWithPairs('hopscope_hop_responder_received_total', `${pairs},${formatLabelPairs(extra)}`, r.received);
    }
  }
}

/** The whole exposition for one scrape. */
export function renderAgentMetrics(agent: AgentSnapshot, build: BuildInfo): string {
  const w = new ExpositionWriter();
  writeAgent(w, agent, build);
  writeTargets(w, agent.targets);
  writeHops(w, agent.targets);
  return w.text();
}
