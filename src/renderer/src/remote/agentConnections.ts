/**
 * The agent connections as the renderer sees them, without React: connect
 * (address + token, both checked by the shared schemas before anything is
 * sent), disconnect, and a refresh that gives every new remote session a tab
 * through the controller's re-attach path (summary, then the document as a
 * snapshot, then live batches).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HopscopeApi } from '@shared/ipc';
import type { RemoteAgentInfo } from '@shared/remoteAgent';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';

export interface AgentConnectionsState {
  agents: RemoteAgentInfo[];
  connecting: boolean;
  /** Why the last connect failed (shown under the form), or null. */
  problem: string | null;
}

/** What the connections need of the shell. */
export interface AgentShell {
  api: HopscopeApi;
  /** Gives running sessions not shown yet a tab each; returns how many. */
  reattachSessions(): Promise<number>;
  shownSessionIds(): Set<string>;
}

export class AgentConnections {
  readonly store: StoreApi<AgentConnectionsState> = createStore<AgentConnectionsState>()(() => ({
    agents: [],
    connecting: false,
    problem: null,
  }));

  /** A re-attach under way: another would open the same sessions twice. */
  private reattaching: Promise<number> | null = null;

  constructor(private readonly shell: AgentShell) {}

  async connect(address: string, token: string): Promise<boolean> {
    // The schema (and zod) loads on the first connect: the panel is on the first screen, connecting is rare.
    const { connectAgentRequest } = await import('@shared/remoteAgent');
    const request = connectAgentRequest.safeParse({ address, token });
    if (!request.success) {
      this.store.setState({ problem: describeSchemaProblem(firstSchemaProblem(request.error)) });
      return false;
    }
    this.store.setState({ connecting: true, problem: null });
    const result = await this.shell.api.connectAgent(request.data);
    this.store.setState({ connecting: false, problem: result.ok ? null : result.error.message });
    await this.refresh();
    return result.ok;
  }

  async disconnect(agentId: string): Promise<void> {
    await this.shell.api.disconnectAgent({ agentId });
    await this.refresh();
  }

  /** Reads the connections; sessions of theirs without a tab get one (unless `openTabs` is false). */
  async refresh({ openTabs = true }: { openTabs?: boolean } = {}): Promise<void> {
    const result = await this.shell.api.listAgents();
    if (!result.ok) return;
    this.store.setState({ agents: result.value });
    if (!openTabs) return;
    const shown = this.shell.shownSessionIds();
    const unseen = result.value.some((a) => a.state === 'connected' && a.sessionIds.some((id) => !shown.has(id)));
    if (!unseen || this.reattaching) return;
    this.reattaching = this.shell.reattachSessions();
    try {
      await this.reattaching;
    } finally {
      this.reattaching = null;
    }
  }
}
