/**
 * Agents' history files as the app's sessions list sees them: an agent run
 * with `--history` answers the stored-session calls read-only, and its
 * stored sessions are listed beside the app's own under app-side ids
 * (remoteStoredIds.ts). Each answer is checked against the schemas in
 * src/shared before it is used: an agent is an untrusted peer.
 *
 * The list pairs a live tab with its stored session by `uid`: the agent
 * lists a target's current session under its view id, which the app turns
 * into the id of the tab showing it (`agent-N-M`); other sessions get an
 * `agent-N:` prefix, which no app session id has.
 */
import type { z } from 'zod';
import type { InvokeName } from '@shared/ipc';
import type { StoredSessionInfo, StoredSessionList } from '@shared/storedSessions';
import {
  storedSessionListSchema,
  timelineBucketsSchema,
  timelineMarkerListSchema,
  windowStatsSchema,
} from '@shared/storedSessionSchemas';
import { traceDocumentSchema } from '@shared/traceFile';
import { READ_ONLY_AGENT_VIEW } from '@shared/remoteAgent';
import { MAX_SESSION_FILE_CHUNK_BYTES } from '@shared/agentSessionFile';
import { AgentCallError, type AgentLink } from './agentLink';
import { downloadSessionFile } from './agentSessionFileDownload';
import { RemoteAgentError } from './remoteAgentError';
import { RemoteStoredIds } from './remoteStoredIds';

/** What this needs of one connected agent. */
export interface StoredSessionsSource {
  id: string;
  link: Pick<AgentLink, 'call' | 'connected'>;
  /** The app id of the tab showing the agent's session `viewId`, if there is one. */
  localIdOf(viewId: string): string | undefined;
}

const ANSWERS = {
  openStoredSession: traceDocumentSchema,
  getTimeline: timelineBucketsSchema,
  getWindowStats: windowStatsSchema,
  getTimelineMarkers: timelineMarkerListSchema,
} satisfies Partial<Record<InvokeName, z.ZodType>>;

export type RemoteStoredCall = keyof typeof ANSWERS;
type Answer<K extends RemoteStoredCall> = z.infer<(typeof ANSWERS)[K]>;

export class RemoteStoredSessions {
  private readonly ids = new RemoteStoredIds();
  /** Each agent's last listing problem: the list is asked for every second or two, the log says it once. */
  private readonly problems = new Map<string, string>();
  /**
   * Agents that said they keep no history. `--history` is an agent's start-up flag, so the answer holds for
   * the connection: they are not asked again until they reconnect (a restarted agent may have one).
   */
  private readonly withoutHistory = new Set<string>();
  /** Bytes per answer when Export session reads an agent's session file. */
  sessionFileChunkBytes = MAX_SESSION_FILE_CHUNK_BYTES;

  constructor(
    private readonly agents: () => StoredSessionsSource[],
    private readonly log: (message: string) => void = () => {},
    /** Told once per connection that an agent keeps no history. */
    private readonly onNoHistory: (agentId: string) => void = () => {},
  ) {}

  /** Whether `id` names an agent's stored session (answered by the agent, never by the local history). */
  has(id: number): boolean {
    return RemoteStoredIds.isRemote(id);
  }

  /** Every connected agent's stored sessions in the app's ids; an agent that cannot answer is left out (and logged). */
  async list(): Promise<StoredSessionInfo[]> {
    const lists = await Promise.all(
      this.agents()
        .filter((agent) => agent.link.connected && !this.withoutHistory.has(agent.id))
        .map(async (agent) => {
          try {
            const list = await agent.link.call('listStoredSessions', undefined, storedSessionListSchema);
            this.problems.delete(agent.id);
            if (list.history.state === 'off') this.noHistory(agent.id);
            return this.inAppIds(agent, list);
          } catch (err) {
            // How an agent's view refuses the stored-session calls without --history.
            if (err instanceof AgentCallError && err.code === 'not-found') {
              this.noHistory(agent.id);
              return [];
            }
            const problem = (err as Error).message;
            if (this.problems.get(agent.id) !== problem) {
              this.problems.set(agent.id, problem);
              this.log(`agent ${agent.id}: its stored sessions are not listed: ${problem}`);
            }
            return [];
          }
        }),
    );
    return lists.flat();
  }

  /** The agent's list in the app's ids (see the scheme above). */
  inAppIds(agent: Pick<StoredSessionsSource, 'id' | 'localIdOf'>, list: StoredSessionList): StoredSessionInfo[] {
    if (list.history.state === 'off') return [];
    const appIds = this.ids.listed(
      agent.id,
      list.sessions.map((s) => s.id),
    );
    return list.sessions.map((s, i) => ({
      ...s,
      id: appIds[i]!,
      uid: agent.localIdOf(s.uid) ?? `${agent.id}:${s.uid}`,
    }));
  }

  /** A read call about an agent's stored session, asked of that agent under its own id. */
  async call<K extends RemoteStoredCall>(
    name: K,
    request: { id: number; [field: string]: unknown },
  ): Promise<Answer<K>> {
    const { agent, remoteId } = this.agentOf(request.id);
    try {
      const schema = ANSWERS[name] as z.ZodType<Answer<K>>;
      return await agent.link.call(name, { ...request, id: remoteId }, schema);
    } catch (err) {
      // Too large stays too large, so the app asks the agent for a shorter window.
      const tooLarge = err instanceof AgentCallError && err.code === 'too-large';
      throw new RemoteAgentError(tooLarge ? 'too-large' : 'failed', (err as Error).message);
    }
  }

  /**
   * Export session of an agent's stored session: written by the agent from
   * its history, read from it in chunks into `target` (agentSessionFileDownload.ts).
   */
  async exportFile(id: number, target: string): Promise<{ samples: number }> {
    const { agent, remoteId } = this.agentOf(id);
    try {
      return await downloadSessionFile(agent.link, remoteId, target, this.sessionFileChunkBytes);
    } catch (err) {
      const notFound = err instanceof AgentCallError && err.code === 'not-found';
      throw new RemoteAgentError(notFound ? 'not-found' : 'failed', `Export session: ${(err as Error).message}`);
    }
  }

  /** The connected agent holding stored session `id` (an app id), and its own id for it. */
  private agentOf(id: number): { agent: StoredSessionsSource; remoteId: number } {
    const ref = this.ids.ref(id);
    const agent = ref && this.agents().find((a) => a.id === ref.agentId);
    if (!ref || !agent) throw new RemoteAgentError('not-found', `no stored session ${id}`);
    if (!agent.link.connected) throw new RemoteAgentError('failed', `the connection to agent ${agent.id} is lost`);
    return { agent, remoteId: ref.remoteId };
  }

  /** Deleting is the agent operator's business. */
  refuseDelete(id: number): void {
    if (this.has(id))
      throw new RemoteAgentError('forbidden', `${READ_ONLY_AGENT_VIEW}; stored sessions are not deleted`);
  }

  /** The agent is connected again (perhaps restarted with other flags): ask it for its list again. */
  reconnected(agentId: string): void {
    this.withoutHistory.delete(agentId);
  }

  forget(agentId: string): void {
    this.ids.forget(agentId);
    this.problems.delete(agentId);
    this.withoutHistory.delete(agentId);
  }

  private noHistory(agentId: string): void {
    if (this.withoutHistory.has(agentId)) return;
    this.withoutHistory.add(agentId);
    this.onNoHistory(agentId);
  }
}
