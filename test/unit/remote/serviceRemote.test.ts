/**
 * The TraceService with an agent connected: its sessions are listed beside
 * the local ones, read through the agent, closed by hiding them, and every
 * call that would change one is refused as read-only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { READ_ONLY_AGENT_VIEW } from '@shared/remoteAgent';
import { TraceService } from '../../../src/main/service/traceService';
import { host, hop, sample, summary, traceDocument } from '../../fixtures/traceBuilders';
import { FULL_TRACE_OPTIONS } from '../ipc/payloads';
import { startFakeAgent, type FakeAgent } from './fakeAgent';

const TOKEN = 's'.repeat(43);
const remote = summary({ id: 't-1' }, { target: '192.0.2.9' });
const doc = traceDocument([{ ...hop(1, [host('192.0.2.9')]), samples: [sample(0, '192.0.2.9', 2)] }]);

describe('the service with an agent connected', () => {
  let fake: FakeAgent;
  let service: TraceService;

  beforeEach(async () => {
    fake = await startFakeAgent(TOKEN);
    fake.answers.set('listSessions', { value: [remote] });
    fake.answers.set('getSessionDocument', { value: doc });
    fake.answers.set('attachSession', { value: remote });
    service = new TraceService({ enrichment: false });
  });

  afterEach(async () => {
    await service.dispose();
    await fake.close();
  });

  it('lists, attaches and exports the agent session; refuses to change it; hides it when closed', async () => {
    const batches: string[] = [];
    service.onEvents((b) => batches.push(b.sessionId));
    const connected = await service.dispatch('connectAgent', { address: fake.address, token: TOKEN });
    expect(connected).toMatchObject({ ok: true, value: { id: 'agent-1', state: 'connected' } });
    const id = 'agent-1-1';
    expect(batches).toContain(id);

    const listed = await service.dispatch('listSessions', undefined);
    expect(listed.ok && listed.value.map((s) => [s.id, s.remote?.address])).toEqual([[id, fake.address]]);
    expect(await service.dispatch('attachSession', { sessionId: id })).toMatchObject({ ok: true, value: { id } });
    const exported = await service.dispatch('getSessionDocument', { sessionId: id });
    expect(exported.ok && exported.value.hops[0]?.samples).toHaveLength(1);

    for (const name of ['stopSession', 'pauseSession', 'resumeSession'] as const) {
      expect(await service.dispatch(name, { sessionId: id })).toEqual({
        ok: false,
        error: { code: 'forbidden', message: READ_ONLY_AGENT_VIEW },
      });
    }
    expect(await service.dispatch('updateSession', { sessionId: id, options: FULL_TRACE_OPTIONS })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Nothing was asked of the agent but reading.
    expect(new Set(fake.calls)).toEqual(new Set(['listSessions', 'getSessionDocument', 'attachSession']));

    expect(await service.dispatch('closeSession', { sessionId: id })).toEqual({ ok: true, value: null });
    const after = await service.dispatch('listSessions', undefined);
    expect(after.ok && after.value).toEqual([]);
    expect(await service.dispatch('listAgents', undefined)).toMatchObject({ ok: true, value: [{ sessionIds: [] }] });
    expect(await service.dispatch('disconnectAgent', { agentId: 'agent-1' })).toEqual({ ok: true, value: null });
    expect(await service.dispatch('listAgents', undefined)).toEqual({ ok: true, value: [] });
  });

  it('refuses a bad address or token before connecting, and a failed connection as a typed error', async () => {
    expect(await service.dispatch('connectAgent', { address: 'ws://x/', token: TOKEN })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', field: 'address' },
    });
    expect(await service.dispatch('connectAgent', { address: fake.address, token: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', field: 'token' },
    });
    expect(await service.dispatch('connectAgent', { address: fake.address, token: 'z'.repeat(43) })).toEqual({
      ok: false,
      error: { code: 'failed', message: `cannot connect to ${fake.address}: the agent refused the token` },
    });
  });
});
