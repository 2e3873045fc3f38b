/**
 * App ids of agents' stored sessions: never in the local history's range,
 * never shared by two agents, stable while listed, and no more kept than the
 * agents' latest lists name.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REMOTE_STORED_ID_BASE, RemoteStoredIds } from '../../../src/main/remote/remoteStoredIds';
import { storedSessionId } from '@shared/storedSessions';

describe('app ids of agents’ stored sessions', () => {
  it('gives each (agent, stored id) its own valid id above the local range, stable across listings', () => {
    const ids = new RemoteStoredIds();
    const first = ids.listed('agent-1', [1, 2, 3]);
    const other = ids.listed('agent-2', [1, 2]);
    expect(first).toEqual([REMOTE_STORED_ID_BASE, REMOTE_STORED_ID_BASE + 1, REMOTE_STORED_ID_BASE + 2]);
    expect(new Set([...first, ...other]).size).toBe(5);
    expect(ids.listed('agent-1', [3, 1, 4])).toEqual([first[2], first[0], REMOTE_STORED_ID_BASE + 5]);
    expect(ids.ref(other[1]!)).toEqual({ agentId: 'agent-2', remoteId: 2 });
    for (const id of [...first, ...other]) expect(storedSessionId.safeParse(id).success).toBe(true);
    expect(RemoteStoredIds.isRemote(REMOTE_STORED_ID_BASE - 1)).toBe(false);
  });

  it('forgets ids an agent no longer lists, and all of a connection that is gone', () => {
    const ids = new RemoteStoredIds();
    const [gone] = ids.listed('agent-1', [7, 8]);
    ids.listed('agent-1', [8]);
    expect(ids.ref(gone!)).toBeUndefined();
    const [kept] = ids.listed('agent-2', [7]);
    ids.forget('agent-1');
    expect(ids.size).toBe(1);
    expect(ids.ref(kept!)).toEqual({ agentId: 'agent-2', remoteId: 7 });
  });

  it('keeps no more pairs than the latest lists name, whatever the agents send', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('agent-1', 'agent-2'), fc.array(fc.integer({ min: 1, max: 50 }))), {
          maxLength: 20,
        }),
        (listings) => {
          const ids = new RemoteStoredIds();
          const latest = new Map<string, number[]>();
          for (const [agent, list] of listings) {
            const appIds = ids.listed(agent, list);
            latest.set(agent, list);
            list.forEach((remoteId, i) => expect(ids.ref(appIds[i]!)).toEqual({ agentId: agent, remoteId }));
          }
          const named = [...latest.values()].reduce((n, list) => n + new Set(list).size, 0);
          expect(ids.size).toBe(named);
        },
      ),
    );
  });
});
