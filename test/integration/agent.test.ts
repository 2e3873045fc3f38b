import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import {
  HOPSCOPE,
  ALERT_RULES,
  PROMTOOL,
  promAlerts,
  inNamespace,
  metricsText,
  pickPort,
  promQuery,
  promValue,
  run,
  sampleOf,
  startAgent,
  startPrometheus,
  until,
  type Place,
  type Running,
} from './agentProcess';

ensureBuilt();

/** Not in the client namespace's hosts file, and its nsswitch asks nothing else: it cannot resolve. */
const UNRESOLVABLE = 'nowhere.hopscope.test';

describe('hopscope agent: a bad config is refused at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-bad-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file, the line and the field, and exits with EX_CONFIG', async () => {
    const file = join(dir, 'agent.json');
    writeFileSync(file, '{\n  "targets": [\n    { "name": "a", "target": "198.18.8.2", "maxTtl": 0 }\n  ]\n}\n');
    const agent = run([process.execPath, HOPSCOPE, 'agent', '--config', file, '--metrics-listen', '127.0.0.1:0']);
    expect(await agent.exited).toBe(78);
    expect(agent.output()).toContain(`${file}:3:`);
    expect(agent.output()).toMatch(/targets\[0\]\.maxTtl: max TTL must be between 1 and 255/);
  });

  it('refuses a metrics address that is not loopback-style ADDR:PORT', async () => {
    const agent = run([process.execPath, HOPSCOPE, 'agent', '--config', 'x.yaml', '--metrics-listen', 'localhost']);
    expect(await agent.exited).toBe(2);
    expect(agent.output()).toMatch(/--metrics-listen: "localhost" is not ADDR:PORT/);
  });
});

describeWithNetwork('hopscope agent scraped by the real Prometheus', (getNet) => {
  let dir: string;
  let config: string;
  let agentPort: number;
  let promPort: number;
  let place: Place;
  let agent: Running | undefined;
  let prometheus: Running | undefined;

  const targets = () => {
    const net = getNet();
    return [
      { name: 'path', target: net.target.name, ipVersion: 4 },
      { name: 'lost', target: UNRESOLVABLE },
    ];
  };
  const writeConfig = (list: object[]) => writeFileSync(config, JSON.stringify({ targets: list }, null, 2));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-'));
    config = join(dir, 'agent.json');
    writeConfig(targets());
    place = inNamespace(getNet());
    agentPort = pickPort();
    promPort = agentPort + 1;
    agent = startAgent(place, config, agentPort);
    prometheus = startPrometheus(place, dir, promPort, agentPort);
  });

  afterAll(async () => {
    await agent?.stop();
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves metrics that Prometheus scrapes and queries as expected', async () => {
    const net = getNet();
    // A few scrapes after the destination has been found.
    await until('the path target in Prometheus', () =>
      promValue(place, promPort, 'count_over_time(hopscope_target_destination_reached{target="path"}[1m]) >= 3'),
    );
    expect(await promValue(place, promPort, 'up{job="hopscope"}')).toBe(1);
    expect(await promValue(place, promPort, 'hopscope_target_hops{target="path"}')).toBe(net.destinationTtl);
    expect(await promValue(place, promPort, 'hopscope_target_up{target="path"}')).toBe(1);
    expect(await promValue(place, promPort, `hopscope_hop_loss_ratio{target="path",ttl="${net.silentTtl}"}`)).toBe(1);
    expect(await promValue(place, promPort, `hopscope_hop_loss_ratio{target="path",ttl="${net.destinationTtl}"}`)).toBe(
      0,
    );
    // The silent hop has no RTT; the destination has one, and a histogram that PromQL can take a quantile of.
    expect(
      await promQuery(place, promPort, `hopscope_hop_rtt_avg_seconds{target="path",ttl="${net.silentTtl}"}`),
    ).toEqual([]);
    const p90 = await promValue(
      place,
      promPort,
      `histogram_quantile(0.9, rate(hopscope_hop_rtt_seconds_bucket{target="path",ttl="${net.destinationTtl}"}[30s]))`,
    );
    expect(p90).toBeGreaterThan(0);
    expect(p90).toBeLessThan(1);
    const responders = await promQuery(place, promPort, `hopscope_hop_responder_received_total{target="path",ttl="1"}`);
    expect(responders.map((r) => r.labels.address)).toEqual([net.hops[0]!.v4[0]]);

    // The unreachable target: in error with its code, while the other carries on.
    await until('the unresolvable target in error', () =>
      promValue(place, promPort, 'hopscope_target_error{target="lost",code="resolve-failed"}'),
    );
    expect(await promValue(place, promPort, 'hopscope_target_up{target="lost"}')).toBe(0);
    expect(await promValue(place, promPort, 'hopscope_target_state{target="lost",state="error"}')).toBe(1);
    expect(await promValue(place, promPort, 'hopscope_target_destination_reached{target="lost"}')).toBe(0);
    expect(await promQuery(place, promPort, 'hopscope_hop_sent_total{target="lost"}')).toEqual([]);
    expect(await promValue(place, promPort, 'hopscope_agent_build_info')).toBe(1);

    // The README's query: loss at the destination over the last minute.
    const loss = await promValue(
      place,
      promPort,
      '1 - increase(hopscope_target_destination_received_total{target="path"}[1m]) / increase(hopscope_target_destination_sent_total{target="path"}[1m])',
    );
    expect(loss).toBe(0);

    // The example alert rules load and evaluate against these series: the unresolvable target's alert is pending.
    execFileSync(PROMTOOL, ['check', 'rules', ALERT_RULES]);
    const alerts = await until('the target-down alert', async () => {
      const active = await promAlerts(place, promPort);
      return active.some((a) => a.name === 'HopscopeTargetDown') ? active : undefined;
    });
    expect(alerts).toEqual([{ name: 'HopscopeTargetDown', target: 'lost', state: 'pending' }]);

    // Prometheus's own linter accepts the exposition.
    const text = await metricsText(place, agentPort);
    execFileSync(PROMTOOL, ['check', 'metrics'], { input: text });
  }, 120_000);

  it('adds a target on SIGHUP without resetting the others, and keeps running on a bad reload', async () => {
    const net = getNet();
    const hop1Sent = 'hopscope_hop_sent_total{target="path",ttl="1"}';
    const before = sampleOf(await metricsText(place, agentPort), hop1Sent)!;
    expect(before).toBeGreaterThan(0);

    writeConfig([...targets(), { name: 'path-udp', target: net.target.v4, protocol: 'udp' }]);
    agent!.child.kill('SIGHUP');
    const text = await until('the added target', async () => {
      const t = await metricsText(place, agentPort);
      return sampleOf(t, 'hopscope_target_destination_reached{target="path-udp"}') === 1 ? t : undefined;
    });
    expect(sampleOf(text, hop1Sent)!).toBeGreaterThanOrEqual(before);
    expect(sampleOf(text, 'hopscope_agent_config_reloads_total{result="success"}')).toBe(1);
    expect(sampleOf(text, 'hopscope_target_hops{target="path-udp"}')).toBe(net.destinationTtl);
    expect(agent!.output()).toMatch(/config reloaded \(SIGHUP\): added path-udp/);

    writeFileSync(
      config,
      '{\n  "targets": [\n    { "name": "path", "target": "198.18.8.2", "protocol": "smoke" }\n  ]\n}\n',
    );
    agent!.child.kill('SIGHUP');
    await until('the refused reload', async () =>
      sampleOf(await metricsText(place, agentPort), 'hopscope_agent_config_reloads_total{result="failure"}') === 1
        ? true
        : undefined,
    );
    expect(agent!.output()).toMatch(
      new RegExp(`refused, the running config stays: ${config}:3:\\d+: targets\\[0\\]\\.protocol`),
    );
    const after = await metricsText(place, agentPort);
    expect(sampleOf(after, 'hopscope_agent_targets')).toBe(3);
    expect(sampleOf(after, 'hopscope_agent_config_last_reload_successful')).toBe(0);
    expect(sampleOf(after, hop1Sent)!).toBeGreaterThanOrEqual(sampleOf(text, hop1Sent)!);
  });

  it('comes back after being killed and restarted', async () => {
    const net = getNet();
    writeConfig(targets());
    await agent!.stop('SIGKILL');
    await until('Prometheus to see the agent down', () => promValue(place, promPort, 'up{job="hopscope"} == 0'));
    agent = startAgent(place, config, agentPort);
    await until('Prometheus to see the agent back', () => promValue(place, promPort, 'up{job="hopscope"} == 1'));
    await until('the path traced again', () =>
      promValue(place, promPort, 'hopscope_target_destination_reached{target="path"} == 1'),
    );
    expect(await promValue(place, promPort, 'hopscope_target_hops{target="path"}')).toBe(net.destinationTtl);
    // A restart shows as a counter reset, which rate() and increase() handle.
    expect(
      await promValue(place, promPort, 'resets(hopscope_hop_sent_total{target="path",ttl="1"}[2m])'),
    ).toBeGreaterThanOrEqual(1);
    expect(await promValue(place, promPort, 'hopscope_agent_targets')).toBe(2);
  });
});
