/**
 * The TraceService's stored-session calls with an agent connected: the
 * agent's stored sessions are listed beside the app's own (a real history
 * file), read through the agent, never deleted or continued here, and gone with the connection.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredSessionInfo } from '@shared/storedSessions';
import { TraceService } from '../../../src/main/service/traceService';
import { REMOTE_STORED_ID_BASE } from '../../../src/main/remote/remoteStoredIds';
import { summary, traceDocument } from '../../fixtures/traceBuilders';
import { FULL_TRACE_OPTIONS } from '../ipc/payloads';
import { startFakeAgent, type FakeAgent } from './fakeAgent';

const TOKEN = 'h'.repeat(43);
const VIEW_ID = 't-1';
const dir = mkdtempSync(join(tmpdir(), 'hopscope-service-remote-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const agentStored: StoredSessionInfo = {
  id: 1,
  uid: VIEW_ID,
  target: '192.0.2.9',
  targetAddress: '192.0.2.9',
  startedAt: 1_790_000_000_000,
  endedAt: null,
  lastAt: 1_790_000_005_000,
  rounds: 5,
  samples: 5,
  approxBytes: 100,
  state: 'running',
  live: true,
};

describe('the service’s stored sessions with an agent connected', () => {
  let fake: FakeAgent;
  let service: TraceService;

  beforeEach(async () => {
    fake = await startFakeAgent(TOKEN);
    fake.answers.set('listSessions', { value: [summary({ id: VIEW_ID }, { target: '192.0.2.9' })] });
    fake.answers.set('getSessionDocument', { value: traceDocument() });
    fake.answers.set('listStoredSessions', {
      value: { history: { state: 'recording', path: '/var/lib/agent.duckdb' }, sessions: [agentStored] },
    });
    service = new TraceService({ enrichment: false, history: { path: join(dir, `app-${Date.now()}.duckdb`) } });
  });

  afterEach(async () => {
    await service.dispose();
    await fake.close();
  });

  it('lists the agent’s beside its own, reads them through the agent, refuses deleting them', async () => {
    await service.dispatch('connectAgent', { address: fake.address, token: TOKEN });
    const listed = await service.dispatch('listStoredSessions', undefined);
    expect(listed).toMatchObject({
      ok: true,
      value: {
        history: { state: 'recording', path: expect.stringContaining(dir) },
        sessions: [{ id: REMOTE_STORED_ID_BASE, uid: 'agent-1-1', target: '192.0.2.9' }],
      },
    });

    const stats = { hops: [], rounds: 0, firstAt: null, lastAt: null };
    fake.answers.set('getWindowStats', { value: stats });
    expect(await service.dispatch('getWindowStats', { id: REMOTE_STORED_ID_BASE })).toEqual({ ok: true, value: stats });
    expect(fake.payloads.at(-1)).toEqual({ id: 1 });

    expect(await service.dispatch('deleteStoredSession', { id: REMOTE_STORED_ID_BASE })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('read-only agent view') },
    });
    expect(fake.calls).not.toContain('deleteStoredSession');
    expect(
      await service.dispatch('startSession', { ...FULL_TRACE_OPTIONS, continueStoredId: REMOTE_STORED_ID_BASE }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not continued') } });
    // A local id is still the local history's to answer.
    expect(await service.dispatch('getWindowStats', { id: 5 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no stored session 5' },
    });

    await service.dispatch('disconnectAgent', { agentId: 'agent-1' });
    expect(await service.dispatch('getWindowStats', { id: REMOTE_STORED_ID_BASE })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    const after = await service.dispatch('listStoredSessions', undefined);
    expect(after.ok && after.value.sessions).toEqual([]);
  });
});
