/**
 * `hopscope agent --history FILE` on the namespace network with the real
 * mtr-packet: what the agent recorded survives a SIGKILL, a restarted agent
 * appends to the same file, a target added by SIGHUP is recorded too, and
 * SIGTERM closes the file cleanly. The file is read back with the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import {
  HOPSCOPE,
  inNamespace,
  metricsText,
  pickPort,
  sampleOf,
  startAgent,
  until,
  type Running,
} from './agentProcess';

ensureBuilt();

interface ListedSession {
  session: number;
  rounds: number;
  samples: number;
  target: string;
}

/** `hopscope report --list`: SESSION STARTED DURATION ROUNDS SAMPLES SIZE TARGET… */
function parseList(stdout: string): ListedSession[] {
  return stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [session, , , rounds, samples, , ...target] = line.trim().split(/\s+/);
      return { session: Number(session), rounds: Number(rounds), samples: Number(samples), target: target.join(' ') };
    });
}

describeWithNetwork('hopscope agent --history on a real namespace network', (getNet) => {
  let dir: string;
  let config: string;
  let history: string;
  let agent: Running | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-history-'));
    config = join(dir, 'agent.json');
    history = join(dir, 'history.duckdb');
  });
  afterAll(async () => {
    await agent?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeConfig = (list: object[]) => writeFileSync(config, JSON.stringify({ targets: list }, null, 2));
  async function report(args: string[]): Promise<string> {
    const r = await getNet().runInClient([process.execPath, HOPSCOPE, 'report', history, ...args], {
      timeoutMs: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  }
  const document = async (session: number): Promise<TraceDocument> =>
    traceDocumentSchema.parse(JSON.parse(await report(['--json', '--session', String(session)])));
  async function roundsOf(port: number, target: string, atLeast: number): Promise<void> {
    const place = inNamespace(getNet());
    await until(`${atLeast} rounds of ${target}`, async () => {
      const text = await metricsText(place, port);
      return (sampleOf(text, `hopscope_target_rounds_total{target="${target}"}`) ?? 0) >= atLeast ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the agent said: ${agent?.output()}`);
    });
  }

  it('keeps what it recorded across a SIGKILL, appends after a restart, records a target added by SIGHUP', async () => {
    const net = getNet();
    const place = inNamespace(net);
    const path = { name: 'path', target: net.target.name, ipVersion: 4, intervalSec: 0.2 };
    writeConfig([path]);
    let port = pickPort();
    agent = startAgent(place, config, port, ['--history', history]);
    await roundsOf(port, 'path', 15);
    await agent.stop('SIGKILL');

    // Flushed at least once a second: the killed agent's session is on disk, readable as soon as it died.
    const beforeRestart = parseList(await report(['--list']));
    expect(beforeRestart).toHaveLength(1);
    const [killed] = beforeRestart;
    expect(killed!.target).toBe(`${net.target.name} (${net.target.v4})`);
    expect(killed!.rounds).toBeGreaterThan(0);
    expect(killed!.samples).toBeGreaterThan(0);
    const killedDoc = await document(killed!.session);
    expect(killedDoc.hops.map((h) => h.ttl)).toContain(net.destinationTtl);
    expect(killedDoc.hops.find((h) => h.ttl === net.destinationTtl)!.received).toBeGreaterThan(0);

    // Restarted on the same file; then a second target by SIGHUP; then a clean stop.
    port = pickPort();
    agent = startAgent(place, config, port, ['--history', history]);
    await roundsOf(port, 'path', 10);
    writeConfig([path, { name: 'path-udp', target: net.target.v4, protocol: 'udp', intervalSec: 0.2 }]);
    agent.child.kill('SIGHUP');
    await roundsOf(port, 'path-udp', 10);
    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(agent.output()).toMatch(/recording every session to .*history\.duckdb/);
    expect(agent.output()).not.toMatch(/history.*failed/);

    const after = parseList(await report(['--list']));
    expect(after.map((s) => s.target)).toEqual([
      `${net.target.name} (${net.target.v4})`,
      `${net.target.name} (${net.target.v4})`,
      net.target.v4,
    ]);
    // The session from before the kill is untouched; the new ones were recorded to their end.
    expect(after[0]).toEqual(killed);
    expect(await document(killed!.session)).toEqual(killedDoc);
    for (const session of after.slice(1)) {
      expect(session.rounds).toBeGreaterThanOrEqual(10);
      const doc = await document(session.session);
      expect(doc.destinationReached).toBe(true);
      expect(doc.hops.find((h) => h.ttl === net.destinationTtl)!.received).toBeGreaterThan(0);
      expect(doc.hops.find((h) => h.ttl === net.silentTtl)!.received).toBe(0);
    }
    expect((await document(after[2]!.session)).options.protocol).toBe('udp');
  }, 120_000);
});
