/**
 * App-side ids of the stored sessions agents keep in their history files.
 *
 * Scheme: the app's own history numbers its stored sessions from 1 upwards
 * (a DuckDB sequence, one per recorded session), far below 2^31. A stored
 * session of an agent gets an app id from REMOTE_STORED_ID_BASE (2^31)
 * upwards, one per (agent connection, agent's stored id) pair, handed out in
 * order and never reused while the app runs, so it can neither collide with a
 * local id nor with another agent's. Each listing of an agent replaces its
 * pairs (ids it no longer lists are forgotten), so what is kept is bounded by
 * the size of the agents' lists, whatever an agent sends.
 */
export const REMOTE_STORED_ID_BASE = 0x8000_0000;
/** The largest stored id the contract accepts (storedSessionId). */
const LAST_ID = 0xffff_ffff;

export interface RemoteStoredRef {
  agentId: string;
  /** The id in the agent's history file. */
  remoteId: number;
}

export class RemoteStoredIds {
  private next = REMOTE_STORED_ID_BASE;
  private readonly byAgent = new Map<string, Map<number, number>>();
  private readonly refs = new Map<number, RemoteStoredRef>();

  /** Whether `id` is in the range of agents' stored sessions (known or not). */
  static isRemote(id: number): boolean {
    return id >= REMOTE_STORED_ID_BASE;
  }

  /** The agent's latest list of stored ids: returns their app ids, in the same order. Throws once the range is used up. */
  listed(agentId: string, remoteIds: readonly number[]): number[] {
    const before = this.byAgent.get(agentId) ?? new Map<number, number>();
    const now = new Map<number, number>();
    for (const remoteId of remoteIds) {
      if (now.has(remoteId)) continue;
      let appId = before.get(remoteId);
      if (appId === undefined) {
        if (this.next > LAST_ID) throw new Error('no app ids are left for agents’ stored sessions; restart the app');
        appId = this.next++;
        this.refs.set(appId, { agentId, remoteId });
      }
      now.set(remoteId, appId);
    }
    for (const [remoteId, appId] of before) if (!now.has(remoteId)) this.refs.delete(appId);
    this.byAgent.set(agentId, now);
    return remoteIds.map((remoteId) => now.get(remoteId)!);
  }

  /** The agent and its id for an app id, or undefined when no listing named it. */
  ref(appId: number): RemoteStoredRef | undefined {
    return this.refs.get(appId);
  }

  /** The connection is gone: its ids are never answered again. */
  forget(agentId: string): void {
    for (const appId of this.byAgent.get(agentId)?.values() ?? []) this.refs.delete(appId);
    this.byAgent.delete(agentId);
  }

  /** Pairs kept (for tests of the bound). */
  get size(): number {
    return this.refs.size;
  }
}
