/**
 * Agents' stored sessions through the app: listed under app ids, the tab's
 * session paired by its app id, read calls asked of the agent under its own
 * id, deleting refused, and hostile answers refused before anything uses them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteAgents } from '../../../src/main/remote/remoteAgents';
import { REMOTE_STORED_ID_BASE } from '../../../src/main/remote/remoteStoredIds';
import { MAX_LISTED_STORED_SESSIONS } from '@shared/storedSessionSchemas';
import type { StoredSessionInfo } from '@shared/storedSessions';
import { summary, traceDocument } from '../../fixtures/traceBuilders';
import { waitFor } from '../agent/waitFor';
import { startFakeAgent, type FakeAgent } from './fakeAgent';

const TOKEN = 'k'.repeat(43);
const VIEW_ID = 't-00112233445566778899aabbccddeeff';
const NOW = 1_790_000_000_000;

function stored(id: number, uid: string): StoredSessionInfo {
  return {
    id,
    uid,
    target: '192.0.2.9',
    targetAddress: '192.0.2.9',
    startedAt: NOW + id,
    endedAt: null,
    lastAt: NOW + id + 5000,
    rounds: 5,
    samples: 5,
    approxBytes: 100,
    state: 'running',
    live: uid === VIEW_ID,
  };
}

const bucket = { from: NOW, sent: 1, received: 1, lossPct: 0, minMs: 1, avgMs: 1, maxMs: 1 };

describe('agents’ stored sessions', () => {
  let fake: FakeAgent;
  let agents: RemoteAgents;

  beforeEach(async () => {
    fake = await startFakeAgent(TOKEN);
    const remote = summary({ id: VIEW_ID, destinationTtl: 1 }, { target: '192.0.2.9' });
    fake.answers.set('listSessions', { value: [remote] });
    fake.answers.set('getSessionDocument', { value: traceDocument() });
    fake.answers.set('listStoredSessions', {
      value: {
        history: { state: 'recording', path: '/var/lib/h.duckdb' },
        sessions: [stored(9, VIEW_ID), stored(4, 's-old')],
      },
    });
    agents = new RemoteAgents(
      () => {},
      () => {},
      { initialMs: 50, maxMs: 200 },
    );
    await agents.connect(fake.address, TOKEN);
  });

  afterEach(async () => {
    agents.dispose();
    await fake.close();
  });

  it('lists them under app ids, pairing the current session with its tab', async () => {
    const listed = await agents.stored.list();
    expect(listed.map((s) => [s.id, s.uid])).toEqual([
      [REMOTE_STORED_ID_BASE, 'agent-1-1'],
      [REMOTE_STORED_ID_BASE + 1, 'agent-1:s-old'],
    ]);
  });

  it('asks the agent under its own id, and refuses deleting', async () => {
    const [current] = await agents.stored.list();
    fake.answers.set('getTimeline', { value: [bucket] });
    const request = { id: current!.id, ttl: 1, from: NOW, to: NOW + 1000, buckets: 1 };
    await expect(agents.stored.call('getTimeline', request)).resolves.toEqual([bucket]);
    expect(fake.payloads.at(-1)).toEqual({ ...request, id: 9 });
    expect(() => agents.stored.refuseDelete(current!.id)).toThrow(/read-only agent view/);
    expect(() => agents.stored.refuseDelete(3)).not.toThrow();
    await expect(agents.stored.call('getWindowStats', { id: REMOTE_STORED_ID_BASE + 77 })).rejects.toThrow(
      `no stored session ${REMOTE_STORED_ID_BASE + 77}`,
    );
  });

  it('refuses hostile answers and drops the connection that sent them', async () => {
    const [current] = await agents.stored.list();
    fake.answers.set('getTimeline', { value: [{ ...bucket, lossPct: 500 }] });
    const request = { id: current!.id, ttl: 1, from: NOW, to: NOW + 1000, buckets: 1 };
    await expect(agents.stored.call('getTimeline', request)).rejects.toThrow(/answer to getTimeline is malformed/);
    await waitFor(() => agents.list()[0]?.state === 'connected');

    fake.answers.set('getTimelineMarkers', {
      value: {
        markers: Array.from({ length: 501 }, () => ({ at: NOW, kind: 'restart', ttl: null, detail: null })),
        more: false,
      },
    });
    await expect(agents.stored.call('getTimelineMarkers', { id: current!.id, from: NOW, to: NOW + 1 })).rejects.toThrow(
      /malformed/,
    );
    await waitFor(() => agents.list()[0]?.state === 'connected');

    // A list too long, or with ids out of range, lists nothing of that agent.
    const many = Array.from({ length: MAX_LISTED_STORED_SESSIONS + 1 }, (_, i) => stored(i + 1, `s-${i}`));
    fake.answers.set('listStoredSessions', { value: { history: { state: 'recording', path: null }, sessions: many } });
    expect(await agents.stored.list()).toEqual([]);
    await waitFor(() => agents.list()[0]?.state === 'connected');
    fake.answers.set('listStoredSessions', {
      value: { history: { state: 'recording', path: null }, sessions: [{ ...stored(1, VIEW_ID), id: -1 }] },
    });
    expect(await agents.stored.list()).toEqual([]);
  });
});
