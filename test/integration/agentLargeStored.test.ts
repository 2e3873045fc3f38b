/**
 * An agent's stored session whose every sample is more than the app takes
 * from an agent (16 MB) although it holds no more samples than one document
 * carries: the built agent, run with `--history` in the test network's
 * client namespace. A tab opens it in one bounded call (each hop's newest
 * samples); its Export JSON, which asks the agent for every sample, is
 * refused by the agent (instead of sent, which would drop the connection),
 * and the app, through its service's calls and the steps its export takes
 * (`openNewestFitting`), saves the newest part that fits, still connected.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SAMPLES_PER_HOP, MAX_AGENT_MESSAGE_BYTES } from '@shared/limits';
import { openNewestFitting } from '@shared/openedWindow';
import { MAX_OPENED_SAMPLES } from '@shared/storedSessions';
import { traceDocumentSchema } from '@shared/traceFile';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { writeLongSession } from '../fixtures/historyFiles';
import { SessionHistory } from '../../src/main/service/sessionHistory';
import { TraceService } from '../../src/main/service/traceService';
import { agentViewArgs, inNamespace, pickPort, startAgent, until, type Running } from './agentProcess';
import { tunnelInto, type NamespaceTunnel } from './namespaceTunnel';

ensureBuilt();

const ROUNDS = 8_000;
/** 25 hops a round: exactly as many samples as one document carries, about 17 MB of it. */
const TTLS = 25;
// Recent, so the agent's retention at start-up keeps it.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 24 * 3600_000;
const LAST_AT = T0 + (ROUNDS - 1) * 1000 + TTLS;

describeWithNetwork('an agent’s stored session larger than one answer', (getNet) => {
  const dir = mkdtempSync(join(tmpdir(), 'hopscope-agent-large-'));
  const tokenFile = join(dir, 'view.token');
  const historyFile = join(dir, 'agent-history.duckdb');
  const viewPort = pickPort();
  let agent: Running | undefined;
  let tunnel: NamespaceTunnel | undefined;
  let service: TraceService | undefined;

  beforeAll(async () => {
    const { samples } = await writeLongSession(historyFile, { rounds: ROUNDS, ttls: TTLS, startedAt: T0 });
    expect(samples).toBe(MAX_OPENED_SAMPLES);
    // The premise: the whole session, which an export carries, is more than one answer may carry.
    const local = new SessionHistory({ path: historyFile });
    const whole = await local.document(1, {});
    await local.close(new Map());
    expect(Buffer.byteLength(JSON.stringify(whole))).toBeGreaterThan(MAX_AGENT_MESSAGE_BYTES);

    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ targets: [{ name: 'path', target: getNet().target.v4, intervalSec: 1 }] }));
    agent = startAgent(inNamespace(getNet()), config, viewPort + 1, agentViewArgs(viewPort, tokenFile, historyFile));
    await until('the agent view', async () => (agent!.output().includes('read-only view at') ? true : undefined));
    tunnel = await tunnelInto(getNet(), viewPort);
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
    await agent?.stop();
    await tunnel?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens bounded, exports its newest part that fits and stays connected', { timeout: 120_000 }, async () => {
    const savedTo = join(dir, 'saved.json');
    const dialogs = { chooseSavePath: () => Promise.resolve(savedTo), chooseOpenPath: () => Promise.resolve(null) };
    service = new TraceService({ enrichment: false, history: { path: join(dir, 'app-history.duckdb') }, dialogs });
    const token = readFileSync(tokenFile, 'utf8').trim();
    const connected = await service.dispatch('connectAgent', { address: tunnel!.address, token });
    expect(connected.ok).toBe(true);
    const listed = await service.dispatch('listStoredSessions', undefined);
    const info = listed.ok ? listed.value.sessions.find((s) => s.target === 'long.example') : undefined;
    expect(info).toMatchObject({ samples: MAX_OPENED_SAMPLES, lastAt: LAST_AT });

    // A tab's open is one answer of each hop's newest samples, whatever the session's length.
    const opened = await service.dispatch('openStoredSession', {
      id: info!.id,
      samplesPerHop: DEFAULT_SAMPLES_PER_HOP,
    });
    expect(opened.ok && opened.value.hops.map((h) => h.samples.length)).toEqual(
      Array.from({ length: TTLS }, () => DEFAULT_SAMPLES_PER_HOP),
    );
    expect(opened.ok && opened.value.hops[0]!.sent).toBe(ROUNDS);

    const tries: { window: unknown; error?: string }[] = [];
    const { result, window } = await openNewestFitting(info, async (part) => {
      const answer = await service!.dispatch('exportStoredSession', { id: info!.id, suggestedName: 'x', ...part });
      tries.push({ window: part, ...(answer.ok ? {} : { error: answer.error.message }) });
      return answer;
    });

    // The whole session was asked for first: the agent said why it would not send it.
    expect(tries[0]).toEqual({
      window: null,
      error: expect.stringMatching(/the answer is \d+\.\d MB, more than the 16\.0 MB a viewer takes at once/),
    });
    expect(result).toEqual({ ok: true, value: { saved: true, path: savedTo } });
    expect(window).toEqual({ from: LAST_AT + 1 - Math.floor((LAST_AT + 1 - T0) / 2), to: LAST_AT + 1 });
    const doc = traceDocumentSchema.parse(JSON.parse(readFileSync(savedTo, 'utf8')));
    expect(doc.focusWindow).toEqual(window);
    const rounds = new Set(doc.hops.flatMap((h) => h.samples.map((s) => s.round)));
    expect(Math.max(...rounds)).toBe(ROUNDS - 1);
    expect(rounds.size).toBeLessThan(ROUNDS);
    expect(rounds.size).toBeGreaterThan(ROUNDS / 4);

    // The connection never dropped: the agent is connected with no problem, and its sessions still list.
    const agents = await service.dispatch('listAgents', undefined);
    expect(agents.ok && agents.value).toEqual([expect.objectContaining({ state: 'connected', problem: null })]);
    const again = await service.dispatch('listStoredSessions', undefined);
    expect(again.ok && again.value.sessions.some((s) => s.id === info!.id)).toBe(true);
  });
});
