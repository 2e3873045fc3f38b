/**
 * `--view-listen` / `--view-token-file` for `hopscope agent`: checked before
 * anything starts, then the view's feed (a recorder beside the history) and
 * its server once the agent runs.
 */
import { isLoopbackHost } from '../../harness/auth';
import type { ListenAddress } from '../metricsServer';
import { AgentViewFeed, type SessionSource } from './viewFeed';
import { AgentViewServer, parseViewListen, VIEW_PATH } from './viewServer';
import type { ViewHistory } from './viewCalls';
import { readOrCreateViewToken } from './viewToken';

/** A flag problem, for the CLI to report as a usage error. */
export class ViewFlagError extends Error {}

export interface AgentViewFlags {
  viewListen?: string;
  viewTokenFile?: string;
}

export interface AgentView {
  feed: AgentViewFeed;
  /** Serve the history's stored sessions too (read-only), once its file is open. */
  serveHistory(history: ViewHistory): void;
  /** Listens and logs where (never the token); returns the bound address. */
  start(): Promise<ListenAddress>;
  close(): Promise<void>;
}

/** Null without `--view-listen`: the view is off unless asked for. */
export async function prepareAgentView(
  flags: AgentViewFlags,
  sessions: SessionSource,
  log: (message: string) => void,
): Promise<AgentView | null> {
  if (flags.viewListen === undefined) {
    if (flags.viewTokenFile !== undefined) throw new ViewFlagError('--view-token-file needs --view-listen');
    return null;
  }
  let listen: ListenAddress;
  try {
    listen = parseViewListen(flags.viewListen);
  } catch (err) {
    throw new ViewFlagError(`--view-listen: ${(err as Error).message}`);
  }
  const tokenFile = flags.viewTokenFile;
  if (tokenFile === undefined) {
    throw new ViewFlagError('--view-listen needs --view-token-file FILE (created with a new token if missing)');
  }
  const { token, created } = await readOrCreateViewToken(tokenFile);
  const feed = new AgentViewFeed(sessions);
  const server = new AgentViewServer(feed, token, log);
  return {
    feed,
    serveHistory: (history) => {
      server.history = history;
    },
    start: async () => {
      const bound = await server.listen(listen);
      const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
      log(
        `read-only view at ws://${host}:${bound.port}${VIEW_PATH}; token ${created ? 'written to' : 'read from'} ${tokenFile}`,
      );
      if (!isLoopbackHost(bound.host)) {
        log(`WARNING: the view listens on ${bound.host} without TLS: prefer loopback and an SSH tunnel (ssh -L)`);
      }
      return bound;
    },
    close: () => server.close(),
  };
}
