/**
 * The app's side of an agent's read-only view: what "Connect to agent…"
 * sends, and what the app knows of each connection. Remote sessions are
 * ordinary sessions in the app (same graph, table, events) whose summary
 * carries `remote`: where they come from and whether that connection is up.
 */
import { z } from 'zod';

/** The refusal every call that would change something gets from an agent's view. */
export const READ_ONLY_AGENT_VIEW =
  'read-only agent view: sessions are started, stopped and changed in the agent config';

/** `host:port`, `[v6]:port`; a name or an address, never a URL (no scheme, no path). */
export const agentAddressSchema = z
  .string({ error: 'address must be text' })
  .trim()
  .min(1, { error: 'address is empty' })
  .max(300, { error: 'address must be at most 300 characters' })
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, {
    error: 'address must be HOST:PORT (an IPv6 address in brackets: [::1]:9465)',
  })
  .refine((a) => Number(a.slice(a.lastIndexOf(':') + 1)) <= 65535 && !a.endsWith(':0'), {
    error: 'address port must be 1..65535',
  });

/** What the agent wrote to its token file: printable, no spaces. */
export const viewTokenSchema = z
  .string({ error: 'token must be text' })
  .trim()
  .min(16, { error: 'token is too short (the agent writes one of 43 characters)' })
  .max(512, { error: 'token must be at most 512 characters' })
  .regex(/^[\x21-\x7e]+$/, { error: 'token must be printable characters without spaces' });

export const agentIdSchema = z.string().regex(/^agent-\d{1,6}$/, { error: 'not an agent connection id' });

export const connectAgentRequest = z.object({ address: agentAddressSchema, token: viewTokenSchema }).strict();
export const agentIdRequest = z.object({ agentId: agentIdSchema }).strict();

export type AgentConnectionState = 'connecting' | 'connected' | 'lost' | 'closed';

export interface RemoteAgentInfo {
  id: string;
  address: string;
  state: AgentConnectionState;
  /** When the next attempt starts (ms since the epoch), while `lost`. */
  retryAt: number | null;
  /** Why the last attempt failed or the connection ended, when it did. */
  problem: string | null;
  /** The app's ids of the agent's sessions. */
  sessionIds: string[];
}
