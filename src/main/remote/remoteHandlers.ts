/**
 * The service's calls made aware of agents' sessions: listed beside the
 * local ones, attached and exported through their agent, closed by hiding
 * them, and refused anything that would change them; their agents' stored
 * sessions listed beside the local ones and read through the agent
 * (remoteStoredSessions.ts). Plus the three calls that manage the connections.
 */
import type { ServiceHandlers } from '../service/traceService';
import type { RemoteAgents } from './remoteAgents';
import type { RemoteStoredCall } from './remoteStoredSessions';
import { RemoteAgentError } from './remoteAgentError';

export type RemoteCallName = 'connectAgent' | 'disconnectAgent' | 'listAgents';
type Changing = 'stopSession' | 'pauseSession' | 'resumeSession' | 'updateSession';

export function withRemoteSessions(
  remote: RemoteAgents,
  local: Omit<ServiceHandlers, RemoteCallName>,
): ServiceHandlers {
  const refusing = <K extends Changing>(name: K): ServiceHandlers[K] =>
    ((request: { sessionId: string }, context: Parameters<ServiceHandlers[K]>[1]) => {
      remote.refuseChange(request.sessionId);
      return (local[name] as (r: typeof request, c: typeof context) => unknown)(request, context);
    }) as ServiceHandlers[K];
  const stored = remote.stored;
  const reading = <K extends RemoteStoredCall>(name: K): ServiceHandlers[K] =>
    ((request: { id: number }, context: Parameters<ServiceHandlers[K]>[1]) =>
      stored.has(request.id)
        ? stored.call(name, request)
        : (local[name] as (r: typeof request, c: typeof context) => unknown)(request, context)) as ServiceHandlers[K];
  return {
    ...local,
    listStoredSessions: async (request, context) => {
      const [own, agents] = await Promise.all([local.listStoredSessions(request, context), stored.list()]);
      if (agents.length === 0) return own;
      // Newest first, as the history lists its own.
      return { ...own, sessions: [...own.sessions, ...agents].sort((a, b) => b.startedAt - a.startedAt) };
    },
    openStoredSession: reading('openStoredSession'),
    getTimeline: reading('getTimeline'),
    getWindowStats: reading('getWindowStats'),
    getTimelineMarkers: reading('getTimelineMarkers'),
    startSession: (request, context) => {
      // An agent's stored session is recorded by the agent: this app cannot add a segment to it.
      if (request.continueStoredId !== undefined && stored.has(request.continueStoredId)) {
        throw new RemoteAgentError(
          'forbidden',
          "an agent's stored session is not continued from the app; start a new trace of its target instead",
        );
      }
      return local.startSession(request, context);
    },
    deleteStoredSession: (request, context) => {
      stored.refuseDelete(request.id);
      return local.deleteStoredSession(request, context);
    },
    stopSession: refusing('stopSession'),
    pauseSession: refusing('pauseSession'),
    resumeSession: refusing('resumeSession'),
    updateSession: refusing('updateSession'),
    listSessions: async (request, context) => [...(await local.listSessions(request, context)), ...remote.summaries()],
    attachSession: (request, context) =>
      remote.has(request.sessionId) ? remote.summary(request.sessionId) : local.attachSession(request, context),
    getSessionDocument: (request, context) =>
      remote.has(request.sessionId) ? remote.document(request.sessionId) : local.getSessionDocument(request, context),
    closeSession: (request, context) => {
      if (!remote.has(request.sessionId)) return local.closeSession(request, context);
      remote.hide(request.sessionId);
      return null;
    },
    connectAgent: ({ address, token }) => remote.connect(address, token),
    disconnectAgent: ({ agentId }) => {
      remote.disconnect(agentId);
      return null;
    },
    listAgents: () => remote.list(),
  };
}
