/**
 * An agent's sessions in the app: "Connect to agent…" checks what was typed
 * before asking, opens each remote session as a read-only tab (badge, no
 * form, no start/stop), and a lost connection shows in the tab, the side
 * panel and the status bar while the rows stay.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import type { RemoteOrigin } from '@shared/session';
import type { RemoteAgentInfo } from '@shared/remoteAgent';
import { summary } from '../fixtures/traceBuilders';
import { allByTestId, byTestId, click, fakeApi, mountApp, ok, settle, stateBatch, typeInto } from './appHarness';

const ADDRESS = '127.0.0.1:9465';
const TOKEN = 'k'.repeat(43);
const origin = (over: Partial<RemoteOrigin> = {}): RemoteOrigin => ({
  agentId: 'agent-1',
  address: ADDRESS,
  connection: 'connected',
  retryAt: null,
  ...over,
});
const remoteSummary = (over: Partial<RemoteOrigin> = {}) =>
  summary({ id: 'agent-1-1', state: 'running', destinationTtl: 3, remote: origin(over) }, { target: '192.0.2.9' });

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
  vi.useRealTimers();
});

function withAgentCalls(fake: ReturnType<typeof fakeApi>) {
  const info: RemoteAgentInfo = {
    id: 'agent-1',
    address: ADDRESS,
    state: 'connected',
    retryAt: null,
    problem: null,
    sessionIds: ['agent-1-1'],
  };
  fake.handlers.connectAgent.mockImplementation(() => ok(info));
  fake.handlers.listAgents.mockImplementation(() => ok([info]));
  return fake.handlers;
}

async function connect(container: HTMLElement, address: string, token: string): Promise<void> {
  typeInto(byTestId(container, 'agent-address') as HTMLInputElement, address);
  typeInto(byTestId(container, 'agent-token') as HTMLInputElement, token);
  await click(byTestId(container, 'agent-connect')!);
  await settle();
  await settle();
}

describe('remote sessions', () => {
  it('refuses an address that is not HOST:PORT without asking the engine', async () => {
    const fake = fakeApi();
    const calls = withAgentCalls(fake);
    const { container, unmount } = await mountApp(fake);
    await connect(container, 'http://agent/', TOKEN);
    expect(byTestId(container, 'agent-connect-error')?.textContent).toContain('address must be HOST:PORT');
    expect(calls.connectAgent).not.toHaveBeenCalled();
    unmount();
  });

  it('opens the agent session as a read-only tab and shows a lost connection without dropping rows', async () => {
    const fake = fakeApi();
    const calls = withAgentCalls(fake);
    const { container, store, unmount } = await mountApp(fake);
    const remote = remoteSummary();
    fake.handlers.listSessions.mockImplementation(() => ok([remote]));
    fake.handlers.attachSession.mockImplementation(() => ok(remote));
    await connect(container, ` ${ADDRESS} `, TOKEN);
    expect(calls.connectAgent).toHaveBeenCalledWith({ address: ADDRESS, token: TOKEN });
    expect(store.getState().tabs.map((t) => t.sessionId)).toEqual(['agent-1-1']);
    expect(byTestId(container, 'remote-badge')?.textContent).toBe(`agent ${ADDRESS} · read-only`);
    expect(byTestId(container, 'start-button')).toBeNull();
    expect(byTestId(container, 'remote-connection')?.textContent).toContain('live, read-only');
    const rows = allByTestId(container, 'hop-row').map((r) => r.getAttribute('data-ttl'));
    expect(rows).toEqual(['1', '2', '3']);

    vi.useFakeTimers({ now: 1_800_000_000_000, toFake: ['Date', 'setInterval', 'setTimeout'] });
    fake.emit('sessionEvents', stateBatch(remoteSummary({ connection: 'lost', retryAt: 1_800_000_004_000 }), 2));
    await act(async () => {
      vi.advanceTimersByTime(10);
    });
    expect(byTestId(container, 'remote-badge')?.textContent).toBe(`agent ${ADDRESS} · connection lost`);
    expect(byTestId(container, 'remote-connection')?.textContent).toBe(
      'Connection to agent lost — reconnecting in 4 s',
    );
    expect(byTestId(container, 'status-remote')?.textContent).toBe('Connection to agent lost — reconnecting in 4 s');
    await act(async () => {
      vi.advanceTimersByTime(2000);
    });
    expect(byTestId(container, 'status-remote')?.textContent).toBe('Connection to agent lost — reconnecting in 2 s');
    expect(allByTestId(container, 'hop-row').map((r) => r.getAttribute('data-ttl'))).toEqual(rows);
    unmount();
  });
});
