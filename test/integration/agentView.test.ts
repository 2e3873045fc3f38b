/**
 * `hopscope agent --view-listen` for real: the built agent traces the
 * namespace test network with the real mtr-packet, and the app's connection
 * code (src/main/remote) reaches its view through a tunnel and receives the
 * live session: a snapshot, then batches with new rounds, under the app's
 * own ids. The flags are checked before anything starts.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEventBatch } from '@shared/session';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { RemoteAgents } from '../../src/main/remote/remoteAgents';
import { HOPSCOPE, agentViewArgs, inNamespace, pickPort, run, startAgent, until, type Running } from './agentProcess';
import { tunnelInto, type NamespaceTunnel } from './namespaceTunnel';

ensureBuilt();

describe('hopscope agent: view flags are checked at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-view-flags-'));
  const config = join(dir, 'agent.json');
  writeFileSync(config, JSON.stringify({ targets: [{ name: 'a', target: '198.18.8.2' }] }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const agent = (...extra: string[]) =>
    run([process.execPath, HOPSCOPE, 'agent', '--config', config, '--metrics-listen', '127.0.0.1:0', ...extra]);

  it('wants a token file with --view-listen', async () => {
    const running = agent('--view-listen', '0');
    expect(await running.exited).toBe(2);
    expect(running.output()).toContain('--view-listen needs --view-token-file FILE');
  });

  it('refuses a token file others can read, before starting mtr-packet', async () => {
    const file = join(dir, 'open.token');
    writeFileSync(file, `${'t'.repeat(43)}\n`);
    chmodSync(file, 0o644);
    const running = agent('--view-listen', '0', '--view-token-file', file);
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain(`${file} can be read by others (mode 644)`);
  });

  it('refuses a view address that is not ADDR:PORT', async () => {
    const running = agent('--view-listen', 'localhost:9', '--view-token-file', join(dir, 'x.token'));
    expect(await running.exited).toBe(2);
    expect(running.output()).toMatch(/--view-listen: "localhost" is not an IP address/);
  });
});

describeWithNetwork('hopscope agent: the read-only view of a live session', (getNet) => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-view-'));
  const tokenFile = join(dir, 'view.token');
  const viewPort = pickPort();
  let agent: Running | undefined;
  let tunnel: NamespaceTunnel | undefined;
  let agents: RemoteAgents | undefined;

  beforeAll(async () => {
    const config = join(dir, 'agent.json');
    writeFileSync(
      config,
      JSON.stringify({ targets: [{ name: 'path', target: getNet().target.v4, intervalSec: 0.5 }] }),
    );
    agent = startAgent(inNamespace(getNet()), config, viewPort + 1, agentViewArgs(viewPort, tokenFile));
    await until('the agent view', async () => (agent!.output().includes('read-only view at') ? true : undefined));
    tunnel = await tunnelInto(getNet(), viewPort);
  });

  afterAll(async () => {
    agents?.dispose();
    await agent?.stop();
    await tunnel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a connected client the session snapshot, then its live batches', async () => {
    const net = getNet();
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(agent!.output()).toContain(`token written to ${tokenFile}`);
    expect(agent!.output()).not.toContain(token);

    const batches: SessionEventBatch[] = [];
    agents = new RemoteAgents((b) => batches.push(b));
    const info = await agents.connect(tunnel!.address, token);
    expect(info).toMatchObject({ state: 'connected', sessionIds: ['agent-1-1'] });
    const summary = agents.summary('agent-1-1');
    expect(summary).toMatchObject({ options: { target: net.target.v4 }, remote: { connection: 'connected' } });

    // New rounds keep arriving as the agent probes: the destination's TTL gets samples of later rounds.
    const roundsAt = (ttl: number) =>
      batches.flatMap((b) =>
        b.events.flatMap((e) =>
          e.type === 'hops' ? e.samples.filter((s) => s.ttl === ttl).flatMap((s) => s.samples) : [],
        ),
      );
    await until('live rounds', async () =>
      new Set(roundsAt(net.destinationTtl).map((s) => s.round)).size >= 4 ? true : undefined,
    );
    expect(batches.every((b) => b.sessionId === 'agent-1-1')).toBe(true);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i + 1));
    const document = await agents.document('agent-1-1');
    expect(document.hops.map((h) => h.ttl)).toEqual(Array.from({ length: net.destinationTtl }, (_, i) => i + 1));
    expect(document.hops.at(-1)?.hosts[0]?.address).toBe(net.target.v4);
  });
});
