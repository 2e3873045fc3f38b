/**
 * "Connect to agent…": address and token of an agent's read-only view, and
 * the connections made, with their state. Connected agents' sessions open as
 * read-only tabs; while any connection exists its list is read again every
 * few seconds, so a target the agent adds gets its tab too.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { RemoteAgentInfo } from '@shared/remoteAgent';
import { useController } from '../app/context';
import { AgentConnections } from './agentConnections';
import '../app/SessionsList.css';
import './AgentsPanel.css';

const REFRESH_MS = 2_000;

const STATE_TEXT: Record<RemoteAgentInfo['state'], string> = {
  connecting: 'connecting',
  connected: 'connected',
  lost: 'connection lost, reconnecting',
  closed: 'disconnected',
};

export function AgentsPanel() {
  const controller = useController();
  const [connections] = useState(
    () =>
      new AgentConnections({
        api: controller.api,
        reattachSessions: () => controller.reattachSessions(),
        shownSessionIds: () =>
          new Set(controller.traces.getState().tabs.flatMap((t) => (t.sessionId ? [t.sessionId] : []))),
      }),
  );
  const agents = useStore(connections.store, (s) => s.agents);
  const connecting = useStore(connections.store, (s) => s.connecting);
  const problem = useStore(connections.store, (s) => s.problem);
  const [address, setAddress] = useState('');
  const [token, setToken] = useState('');
  const ids = useId();

  // Connections live in the engine: a reloaded page finds the ones it had (their tabs come back
  // through the controller's own re-attach at start-up, so this one only reads the list).
  useEffect(() => void connections.refresh({ openTabs: false }), [connections]);
  useEffect(() => {
    if (agents.length === 0) return;
    const timer = setInterval(() => void connections.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [connections, agents.length]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void connections.connect(address, token).then((ok) => ok && setToken(''));
  };

  return (
    <details className="hs-history hs-agents">
      <summary className="hs-history-summary" data-testid="agents-toggle">
        Connect to agent…
        <span className="hs-history-count">{agents.length || ''}</span>
      </summary>
      <div className="hs-history-body">
        <form className="hs-agent-form" onSubmit={submit} aria-label="Connect to agent">
          <label className="hs-label" htmlFor={`${ids}-address`}>
            Agent address
          </label>
          <input
            id={`${ids}-address`}
            className="hs-input"
            data-testid="agent-address"
            placeholder="127.0.0.1:9465"
            autoComplete="off"
            spellCheck={false}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
          <label className="hs-label" htmlFor={`${ids}-token`}>
            View token
          </label>
          <input
            id={`${ids}-token`}
            className="hs-input"
            data-testid="agent-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <button
            type="submit"
            className="hs-button hs-button--primary hs-button--wide"
            data-testid="agent-connect"
            disabled={connecting}
          >
            {connecting ? 'Connecting…' : 'Connect'}
          </button>
          {problem && (
            <p className="hs-field-hint hs-agent-problem" role="alert" data-testid="agent-connect-error">
              {problem}
            </p>
          )}
          <p className="hs-field-hint">
            The agent&apos;s sessions open as read-only tabs. Beyond this machine, reach the agent through an SSH
            tunnel.
          </p>
        </form>
        <ul className="hs-session-list" data-testid="agents-list">
          {agents.map((agent) => (
            <li key={agent.id} className="hs-session" data-testid="agent-item" data-agent-state={agent.state}>
              <div className="hs-session-head">
                <span className="hs-session-target">{agent.address}</span>
                <span className="hs-session-state" data-testid="agent-state">
                  {STATE_TEXT[agent.state]}
                </span>
              </div>
              {agent.problem && agent.state !== 'connected' && <p className="hs-field-hint">{agent.problem}</p>}
              <div className="hs-session-actions">
                <button
                  type="button"
                  className="hs-button hs-button--small"
                  data-testid="agent-disconnect"
                  onClick={() => void connections.disconnect(agent.id)}
                >
                  Disconnect
                </button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
