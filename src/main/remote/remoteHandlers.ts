/**
 * The service's calls made aware of agents' sessions: listed beside the
 * local ones, attached and exported through their agent, closed by hiding
 * them, and refused anything that would change them. Plus the three calls
 * that manage the connections.
 */
import type { ServiceHandlers } from '../service/traceService';
import type { RemoteAgents } from './remoteAgents';

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
  return {
    ...local,
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
