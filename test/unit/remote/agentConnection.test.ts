/**
 * The app's side of an agent connection against a scripted agent: refusals
 * are clear and leave nothing behind; hostile or oversized messages end the
 * connection without crashing anything; the sessions stay as drawn and are
 * brought up to date from a snapshot on reconnection, without doubled samples.
 * An agent without `--history` is asked for its stored sessions once per
 * connection (counted where the calls arrive: at the agent).
 */
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEventBatch } from '@shared/session';
import { RemoteAgents } from '../../../src/main/remote/remoteAgents';
import { MAX_AGENT_MESSAGE_BYTES } from '@shared/limits';
import { applyEventBatch, createLiveTab } from '../../../src/renderer/src/store/reducers';
import { host, hop, sample, summary, traceDocument } from '../../fixtures/traceBuilders';
import { waitFor } from '../agent/waitFor';
import { startFakeAgent, type FakeAgent } from './fakeAgent';

const TOKEN = 'k'.repeat(43);
const FAST = { initialMs: 50, maxMs: 200 };
const REMOTE_ID = 't-00112233445566778899aabbccddeeff';
/** What src/agent/viewServer/viewCalls.ts answers without --history. */
const NO_HISTORY = { error: 'this agent keeps no history (it runs without --history)', code: 'not-found' };

function remoteSession(samples: number) {
  const remote = summary({ id: REMOTE_ID, destinationTtl: 1 }, { target: '192.0.2.9' });
  const rounds = Array.from({ length: samples }, (_, i) => sample(i, '192.0.2.9', 1 + i));
  const doc = traceDocument([
    { ...hop(1, [host('192.0.2.9')], { sent: samples, received: samples }), samples: rounds },
  ]);
  return { remote, doc };
}

describe('an agent connection', () => {
  let fake: FakeAgent;
  let agents: RemoteAgents;
  let emitted: SessionEventBatch[];

  beforeEach(async () => {
    fake = await startFakeAgent(TOKEN);
    emitted = [];
    agents = new RemoteAgents(
      (batch) => emitted.push(batch),
      () => {},
      FAST,
    );
  });

  afterEach(async () => {
    agents.dispose();
    await fake.close();
  });

  it('refuses a wrong token with a clear error and keeps no connection', async () => {
    await expect(agents.connect(fake.address, 'w'.repeat(43))).rejects.toThrow(
      `cannot connect to ${fake.address}: the agent refused the token`,
    );
    expect(agents.list()).toEqual([]);
  });

  it('says when nothing listens at the address', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await expect(agents.connect(`127.0.0.1:${port}`, TOKEN)).rejects.toThrow(`nothing listens at 127.0.0.1:${port}`);
  });

  it('refuses an agent whose first listing is malformed, naming the field', async () => {
    fake.answers.set('listSessions', { value: [{ id: 5 }] });
    await expect(agents.connect(fake.address, TOKEN)).rejects.toThrow(
      /answer to listSessions is malformed: \[?0\]?\.?id/,
    );
    expect(agents.list()).toEqual([]);
  });

  it('drops a connection that sends garbage, keeps the session as drawn, and resyncs it on reconnection', async () => {
    const { remote, doc } = remoteSession(2);
    fake.answers.set('listSessions', { value: [remote] });
    fake.answers.set('getSessionDocument', { value: doc });
    fake.answers.set('attachSession', { value: remote });
    const info = await agents.connect(fake.address, TOKEN);
    expect(info).toMatchObject({ state: 'connected', address: fake.address, sessionIds: ['agent-1-1'] });
    const localId = 'agent-1-1';
    expect(agents.summary(localId)).toMatchObject({ id: localId, remote: { connection: 'connected' } });

    fake.pushRaw('this is not JSON');
    await waitFor(() => agents.list()[0]?.state === 'lost');
    expect(agents.list()[0]?.problem).toContain('not JSON');
    const lost = emitted.at(-1)!;
    expect(lost.events[0]).toMatchObject({ type: 'state', summary: { remote: { connection: 'lost' } } });

    await waitFor(() => agents.list()[0]?.state === 'connected');
    expect(fake.connections).toBe(2);
    // Every batch the app got, applied as the renderer applies them: two snapshots, each sample once.
    let tab = createLiveTab({ id: 'tab', summary: agents.summary(localId) });
    for (const batch of emitted) tab = applyEventBatch(tab, batch);
    expect(tab.samples[1]?.map((s) => s.round)).toEqual([0, 1]);
    expect(new Set(emitted.map((b) => b.seq)).size).toBe(emitted.length);
    expect(emitted.every((b) => b.sessionId === localId)).toBe(true);
  });

  it('ends a connection whose message is larger than the app takes', async () => {
    await agents.connect(fake.address, TOKEN);
    fake.pushRaw('x'.repeat(MAX_AGENT_MESSAGE_BYTES + 1));
    await waitFor(() => agents.list()[0]?.state === 'lost');
    expect(agents.list()[0]?.problem).toMatch(/max payload size exceeded/i);
  });

  it('forwards only batches of sessions it knows or that start with their state', async () => {
    await agents.connect(fake.address, TOKEN);
    fake.push({ t: 'event', event: 'sessionEvents', payload: { sessionId: 't-unknown', seq: 1, events: [] } });
    const { remote } = remoteSession(0);
    fake.push({
      t: 'event',
      event: 'sessionEvents',
      payload: { sessionId: REMOTE_ID, seq: 1, events: [{ type: 'state', summary: remote }] },
    });
    await waitFor(() => emitted.length > 0);
    expect(emitted.map((b) => b.sessionId)).toEqual(['agent-1-1']);
    expect(agents.list()[0]?.sessionIds).toEqual(['agent-1-1']);
  });

  describe('without a history', () => {
    const listings = () => fake.calls.filter((name) => name === 'listStoredSessions').length;
    const historyOfSession = () => agents.summary('agent-1-1').remote?.history;
    beforeEach(() => {
      const { remote, doc } = remoteSession(1);
      fake.answers.set('listSessions', { value: [remote] });
      fake.answers.set('getSessionDocument', { value: doc });
    });

    it('is asked once per connection, and its sessions say so until it reconnects', async () => {
      fake.answers.set('listStoredSessions', NO_HISTORY);
      await agents.connect(fake.address, TOKEN);
      expect(historyOfSession()).toBeUndefined();

      // What a remote tab's link and the sessions list would do every second or two.
      for (let i = 0; i < 5; i++) expect(await agents.stored.list()).toEqual([]);
      expect(listings()).toBe(1);
      expect(historyOfSession()).toBe('off');
      // The renderer hears it through the session's state (its tabs stop asking: useStoredSessionLink).
      expect(emitted.at(-1)?.events[0]).toMatchObject({ type: 'state', summary: { remote: { history: 'off' } } });

      // Reconnected (a restarted agent may run with --history now): asked again, once.
      fake.dropAll();
      await waitFor(() => fake.connections === 2 && agents.list()[0]?.state === 'connected');
      expect(historyOfSession()).toBeUndefined();
      for (let i = 0; i < 5; i++) await agents.stored.list();
      expect(listings()).toBe(2);
    });

    it('takes a listed history that is off for none', async () => {
      fake.answers.set('listStoredSessions', { value: { history: { state: 'off', path: null }, sessions: [] } });
      await agents.connect(fake.address, TOKEN);
      for (let i = 0; i < 3; i++) await agents.stored.list();
      expect(listings()).toBe(1);
      expect(historyOfSession()).toBe('off');
    });
  });
});
