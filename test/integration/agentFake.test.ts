/**
 * What reality cannot produce on demand, with the scripted fake mtr-packet
 * (it sends no packets): an mtr-packet that keeps crashing, and a config file
 * edited in place while the agent watches it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { HistoryStore } from '../../src/main/history';
import { HOPSCOPE, run, sampleOf, until, type Running } from './agentProcess';

ensureBuilt();

const FAKE = resolve(import.meta.dirname, '../fixtures/fake-mtr-packet.mjs');
/** A port free on the host's loopback right now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  return res.text();
}

function startWithFake(config: string, port: number, scenario: string, watch: boolean, extra: string[] = []): Running {
  const argv = [process.execPath, HOPSCOPE, 'agent', '--config', config, '--metrics-listen', `127.0.0.1:${port}`];
  return run([...argv, '--mtr-packet', FAKE, ...(watch ? [] : ['--no-watch']), ...extra], {
    FAKE_MTR_SCENARIO: scenario,
  });
}

describe('hopscope agent with a scripted mtr-packet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-fake-'));
  let agent: Running | undefined;
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts mtr-packet when it dies, and the sessions carry on', async () => {
    const config = join(dir, 'crash.json');
    writeFileSync(
      config,
      JSON.stringify({ targets: [{ name: 'a', target: '127.0.0.1', maxTtl: 4, intervalSec: 0.2 }] }),
    );
    const port = await freePort();
    // Every fake mtr-packet answers 40 probes (10 rounds), then crashes.
    const history = join(dir, 'crash.duckdb');
    agent = startWithFake(config, port, 'crash-after:40', false, ['--history', history]);
    const first = await until('the first restart', async () => {
      const t = await scrape(port);
      return (sampleOf(t, 'hopscope_agent_mtr_packet_restarts_total') ?? 0) >= 1 ? t : undefined;
    });
    // Three more deaths later (more than the service's supervisor tolerates in a minute: the agent never gives up),
    // the same session is still up and completing rounds: no failure, no retry.
    const text = await until(
      'the same session making progress over a restarted mtr-packet',
      async () => {
        const t = await scrape(port);
        const restarts = sampleOf(t, 'hopscope_agent_mtr_packet_restarts_total') ?? 0;
        const rounds = sampleOf(t, 'hopscope_target_rounds_total{target="a"}') ?? 0;
        const up = sampleOf(t, 'hopscope_target_up{target="a"}') === 1;
        return restarts >= 5 && up && rounds > sampleOf(first, 'hopscope_target_rounds_total{target="a"}')! + 10
          ? t
          : undefined;
      },
      45_000,
    );
    expect(sampleOf(text, 'hopscope_target_state{target="a",state="up"}')).toBe(1);
    expect(sampleOf(text, 'hopscope_target_retries_total{target="a"}')).toBe(0);
    expect(agent.output()).toMatch(/mtr-packet died \(.*\); restarting it/);
    expect(agent.output()).toMatch(/mtr-packet restarted \(pid \d+\)/);
    expect(agent.output()).not.toMatch(/retrying in/);
    expect(agent.child.exitCode).toBeNull();

    // One session in the history, with every restart the agent counted as a marker event on it.
    expect(await agent.stop()).toBe(0);
    const store = await HistoryStore.open(history, { readOnly: true });
    try {
      const sessions = await store.sessions();
      expect(sessions.map((s) => s.state)).toEqual(['stopped']);
      const restarts = (await store.events(sessions[0]!.session)).filter((e) => e.kind === 'helper-restarted');
      expect(restarts.length).toBeGreaterThanOrEqual(sampleOf(text, 'hopscope_agent_mtr_packet_restarts_total')!);
      expect(JSON.parse(restarts[0]!.detail!)).toMatchObject({ detail: expect.stringMatching(/code 3/) });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('says how to fix an mtr-packet it cannot use, as trace does: no start when missing, retries when refused', async () => {
    const config = join(dir, 'unusable.yaml');
    writeFileSync(config, 'targets:\n  - name: a\n    target: 127.0.0.1\n');
    // mtr-packet runs but may not send: the daemon keeps the target and retries it, logging the fix.
    agent = startWithFake(config, await freePort(), 'permission-denied', false);
    await until('the setcap fix in the log', () =>
      Promise.resolve(/permission denied.*\(fix: .*setcap cap_net_raw\+ep/.test(agent!.output()) || undefined),
    );
    expect(agent.child.exitCode).toBeNull();
    const argv = [process.execPath, HOPSCOPE, 'agent', '--config', config, '--metrics-listen', '127.0.0.1:0'];
    const missing = run([...argv, '--no-watch', '--mtr-packet', join(dir, 'no-mtr-packet')]);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toMatch(/^fix: .*(apt|mtr-tiny)/m);
  });

  it('reloads the config when the file changes, keeping the other target', async () => {
    const config = join(dir, 'watched.yaml');
    writeFileSync(config, 'targets:\n  - name: a\n    target: 127.0.0.1\n    intervalSec: 0.2\n');
    const port = await freePort();
    agent = startWithFake(config, port, 'normal', true);
    const before = await until('target a', async () => {
      const t = await scrape(port);
      return (sampleOf(t, 'hopscope_target_rounds_total{target="a"}') ?? 0) >= 3 ? t : undefined;
    });
    writeFileSync(
      config,
      'targets:\n  - name: a\n    target: 127.0.0.1\n    intervalSec: 0.2\n  - name: b\n    target: 127.0.0.2\n',
    );
    const after = await until('target b', async () => {
      const t = await scrape(port);
      return sampleOf(t, 'hopscope_target_up{target="b"}') === 1 ? t : undefined;
    });
    expect(agent.output()).toMatch(/config reloaded \(file changed\): added b/);
    expect(sampleOf(after, 'hopscope_target_rounds_total{target="a"}')!).toBeGreaterThanOrEqual(
      sampleOf(before, 'hopscope_target_rounds_total{target="a"}')!,
    );
    expect(sampleOf(after, 'hopscope_target_retries_total{target="a"}')).toBe(0);
  });
});
