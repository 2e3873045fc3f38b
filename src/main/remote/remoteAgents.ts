/**
 * The agents the app is connected to, and their sessions as the app's own
 * read-only sessions: the TraceService lists them beside its local ones,
 * hands out their documents, and streams their batches to the same
 * listeners. A connection that drops keeps every session as drawn, marks it
 * lost, and on reconnection brings it up to date from a snapshot.
 */
import { z } from 'zod';
import type { RemoteOrigin, SessionEventBatch, SessionSummary } from '@shared/session';
import { sessionSummarySchema } from '@shared/sessionSchemas';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';
import { READ_ONLY_AGENT_VIEW, type RemoteAgentInfo } from '@shared/remoteAgent';
import { AgentLink, DEFAULT_BACKOFF, type Backoff } from './agentLink';
import { RemoteSession } from './remoteSession';
import { RemoteAgentError } from './remoteAgentError';
import { RemoteStoredSessions } from './remoteStoredSessions';

/** Connections at once, and sessions taken from one agent (its config's targets). */
export const MAX_AGENTS = 16;
export const MAX_AGENT_SESSIONS = 1000;

export { RemoteAgentError };

interface RemoteAgent {
  id: string;
  link: AgentLink;
  origin: RemoteOrigin;
  problem: string | null;
  sessions: Map<string, RemoteSession>;
  /** The resync after the latest (re)connection. */
  synced: Promise<void>;
}

export class RemoteAgents {
  private readonly agents = new Map<string, RemoteAgent>();
  private readonly byLocalId = new Map<string, { agent: RemoteAgent; session: RemoteSession }>();
  private agentCount = 0;
  private sessionCount = 0;
  /** The agents' history files (those run with `--history`), read-only. */
  readonly stored = new RemoteStoredSessions(
    () =>
      [...this.agents.values()].map((agent) => ({
        id: agent.id,
        link: agent.link,
        localIdOf: (viewId: string) => {
          const session = agent.sessions.get(viewId);
          return session && !session.hidden ? session.localId : undefined;
        },
      })),
    (message) => this.log(message),
    (agentId) => {
      const agent = this.agents.get(agentId);
      // Its tabs stop asking for the list (useStoredSessionLink) and say why they have no timeline.
      if (agent) this.setOrigin(agent, { history: 'off' });
    },
  );

  constructor(
    private readonly emit: (batch: SessionEventBatch) => void,
    private readonly log: (message: string) => void = () => {},
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  async connect(address: string, token: string): Promise<RemoteAgentInfo> {
    if (this.agents.size >= MAX_AGENTS) throw new RemoteAgentError('failed', `at most ${MAX_AGENTS} agent connections`);
    const same = [...this.agents.values()].find(
      (a) => a.origin.address === address && a.origin.connection !== 'closed',
    );
    if (same) throw new RemoteAgentError('failed', `already connected to ${address}`);
    const id = `agent-${++this.agentCount}`;
    const agent: RemoteAgent = {
      id,
      origin: { agentId: id, address, connection: 'connecting', retryAt: null },
      problem: null,
      sessions: new Map(),
      synced: Promise.resolve(),
      link: new AgentLink(
        address,
        token,
        {
          onOpen: () => {
            this.stored.reconnected(id);
            agent.synced = this.resync(agent);
          },
          onLost: (problem, retryAt) => this.lost(agent, problem, retryAt),
          onBatch: (batch) => this.forward(agent, batch),
        },
        this.backoff,
      ),
    };
    this.agents.set(id, agent);
    try {
      await agent.link.connectOnce();
      await agent.synced;
      // The first listing must arrive whole: an agent that answers it with garbage is not connected.
      if (agent.origin.connection !== 'connected' || agent.problem !== null)
        throw new Error(agent.problem ?? 'the connection was lost');
    } catch (err) {
      agent.link.close();
      this.agents.delete(id);
      throw new RemoteAgentError('failed', `cannot connect to ${address}: ${(err as Error).message}`);
    }
    return this.info(agent);
  }

  disconnect(agentId: string): void {
    const agent = this.agents.get(agentId);
    if (!agent) throw new RemoteAgentError('not-found', `no agent connection ${agentId}`);
    agent.link.close();
    this.setOrigin(agent, { connection: 'closed', retryAt: null });
    this.agents.delete(agentId);
    this.stored.forget(agentId);
  }

  list(): RemoteAgentInfo[] {
    return [...this.agents.values()].map((a) => this.info(a));
  }

  has(localId: string): boolean {
    return this.byLocalId.has(localId);
  }

  summaries(): SessionSummary[] {
    return [...this.byLocalId.values()].flatMap(({ session }) => {
      const summary = session.hidden ? null : session.current();
      return summary ? [summary] : [];
    });
  }

  summary(localId: string): SessionSummary {
    const summary = this.entry(localId).session.current();
    if (!summary) throw new RemoteAgentError('not-found', `no session ${localId}`);
    return summary;
  }

  /** The agent's document of the session, in the app's numbering; needs the connection. */
  async document(localId: string): Promise<TraceDocument> {
    const { agent, session } = this.entry(localId);
    if (!agent.link.connected) {
      throw new RemoteAgentError('failed', `the connection to agent ${agent.origin.address} is lost`);
    }
    const summary = await agent.link.call('attachSession', { sessionId: session.remoteId }, sessionSummarySchema);
    const doc = await agent.link.call('getSessionDocument', { sessionId: session.remoteId }, traceDocumentSchema);
    session.adopt(summary);
    return session.mapDocument(doc);
  }

  /** The person closed its tab: stop listing and forwarding it. */
  hide(localId: string): void {
    this.entry(localId).session.hidden = true;
  }

  /** Every call that would change a remote session gets this. */
  refuseChange(localId: string): void {
    if (this.has(localId)) throw new RemoteAgentError('forbidden', READ_ONLY_AGENT_VIEW);
  }

  dispose(): void {
    for (const agent of this.agents.values()) agent.link.close();
    this.agents.clear();
  }

  private entry(localId: string): { agent: RemoteAgent; session: RemoteSession } {
    const entry = this.byLocalId.get(localId);
    if (!entry) throw new RemoteAgentError('not-found', `no session ${localId}`);
    return entry;
  }

  private sessionFor(agent: RemoteAgent, remoteId: string): RemoteSession | null {
    const known = agent.sessions.get(remoteId);
    if (known) return known;
    if (agent.sessions.size >= MAX_AGENT_SESSIONS) return null;
    const session = new RemoteSession(`${agent.id}-${++this.sessionCount}`, remoteId, () => agent.origin);
    agent.sessions.set(remoteId, session);
    this.byLocalId.set(session.localId, { agent, session });
    return session;
  }

  private async resync(agent: RemoteAgent): Promise<void> {
    try {
      const listed = await agent.link.call(
        'listSessions',
        undefined,
        z.array(sessionSummarySchema).max(MAX_AGENT_SESSIONS),
      );
      // Whether it keeps a history is asked again: a restarted agent may run with other flags.
      this.setOrigin(agent, { connection: 'connected', retryAt: null, history: undefined });
      agent.problem = null;
      for (const remote of listed) {
        const session = this.sessionFor(agent, remote.id);
        if (!session || session.hidden) continue;
        const doc = await agent.link.call('getSessionDocument', { sessionId: remote.id }, traceDocumentSchema);
        this.emit(session.snapshotBatch(remote, doc));
      }
    } catch (err) {
      // The link has already dropped the connection (malformed answer) or lost it; it tries again.
      agent.problem = (err as Error).message;
      this.log(`agent ${agent.origin.address}: ${agent.problem}`);
    }
  }

  private forward(agent: RemoteAgent, batch: SessionEventBatch): void {
    const known = agent.sessions.get(batch.sessionId);
    // A session not seen yet starts with its state (the view sends it first); anything else waits for a resync.
    const session = known ?? (batch.events[0]?.type === 'state' ? this.sessionFor(agent, batch.sessionId) : null);
    if (!session || session.hidden) return;
    this.emit(session.mapBatch(batch));
  }

  private lost(agent: RemoteAgent, problem: string, retryAt: number | null): void {
    agent.problem = problem;
    this.log(`agent ${agent.origin.address}: ${problem}; reconnecting`);
    this.setOrigin(agent, { connection: retryAt === null ? 'closed' : 'lost', retryAt });
  }

  private setOrigin(
    agent: RemoteAgent,
    change: Partial<Pick<RemoteOrigin, 'connection' | 'retryAt' | 'history'>>,
  ): void {
    const { history, ...origin } = { ...agent.origin, ...change };
    agent.origin = history ? { ...origin, history } : origin;
    for (const session of agent.sessions.values()) {
      const batch = session.hidden ? null : session.originBatch();
      if (batch) this.emit(batch);
    }
  }

  private info(agent: RemoteAgent): RemoteAgentInfo {
    return {
      id: agent.id,
      address: agent.origin.address,
      state: agent.origin.connection,
      retryAt: agent.origin.retryAt,
      problem: agent.problem,
      sessionIds: [...agent.sessions.values()].filter((s) => !s.hidden).map((s) => s.localId),
    };
  }
}
