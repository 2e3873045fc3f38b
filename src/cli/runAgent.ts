import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { APP_VERSION } from '@shared/appInfo';
import { Agent, type ApplyResult } from '../agent/agent';
import { AgentConfigError, loadAgentConfig } from '../agent/config';
import { MetricsServer, parseListenAddress, DEFAULT_METRICS_LISTEN } from '../agent/metricsServer';
import { renderAgentMetrics } from '../agent/metricsText';
import { AgentHistory } from '../agent/agentHistory';
import { namespaceAwareSourceFinder } from '../agent/sourceAddressGuard';
import { ProbeEngine } from '../main/service/probeEngine';
import { DEFAULT_RETENTION_DAYS } from '../main/history';
import { explainFailure } from '../main/service/sessionErrors';
import { formatUserError, type CliIo } from './cliOutput';
import { UsageError } from './options';
import { prepareAgentView, ViewFlagError, type AgentView } from '../agent/viewServer/agentView';
import { ViewTokenError } from '../agent/viewServer/viewToken';
import { teeRecorders } from '../agent/viewServer/viewFeed';

export interface AgentFlags {
  config: string;
  metricsListen?: string;
  mtrPacket?: string;
  watch?: boolean;
  history?: string;
  historyKeepDays?: string;
  viewListen?: string;
  viewTokenFile?: string;
}

/** sysexits' EX_CONFIG: the unit file tells systemd not to restart on it, since a retry cannot help. */
export const EXIT_BAD_CONFIG = 78;
/** Edits arrive as several writes (or a rename); reload once they settle. */
const WATCH_SETTLE_MS = 500;

function describeChanges(r: ApplyResult): string {
  const parts = [
    r.added.length ? `added ${r.added.join(', ')}` : '',
    r.removed.length ? `removed ${r.removed.join(', ')}` : '',
    r.updated.length ? `updated ${r.updated.join(', ')}` : '',
    r.replaced.length ? `restarted ${r.replaced.join(', ')} (new address)` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no change';
}

/** Runs until SIGTERM or SIGINT. Returns the exit code. */
export async function runAgent(flags: AgentFlags, io: CliIo): Promise<number> {
  const log = (message: string) => io.stderr.write(`hopscope agent: ${message}\n`);
  let listen;
  try {
    listen = parseListenAddress(flags.metricsListen ?? DEFAULT_METRICS_LISTEN);
  } catch (err) {
    throw new UsageError(`--metrics-listen: ${(err as Error).message}`);
  }
  let config;
  try {
    config = await loadAgentConfig(flags.config);
  } catch (err) {
    if (!(err instanceof AgentConfigError)) throw err;
    log(`bad config, not started: ${err.message}`);
    return EXIT_BAD_CONFIG;
  }

  const keepDays = flags.historyKeepDays === undefined ? undefined : Number(flags.historyKeepDays);
  if (keepDays !== undefined && !(Number.isFinite(keepDays) && keepDays > 0)) {
    throw new UsageError(`--history-keep-days: must be a number of days above 0, got "${flags.historyKeepDays}"`);
  }
  if (keepDays !== undefined && flags.history === undefined) {
    throw new UsageError('--history-keep-days needs --history FILE');
  }

  let view: AgentView | null;
  try {
    view = await prepareAgentView(flags, () => agent.sessions(), log);
  } catch (err) {
    if (err instanceof ViewFlagError) throw new UsageError(err.message);
    if (!(err instanceof ViewTokenError)) throw err;
    log(`view token: ${err.message}`);
    return 1;
  }

  // The app's and the CLI's engine. A daemon never gives up on mtr-packet: it restarts it with back-off for as
  // long as it runs, and keeps probing every target (a target in flight at each crash is not stopped).
  const engine: ProbeEngine = new ProbeEngine({
    ...(flags.mtrPacket ? { mtrPacketPath: flags.mtrPacket } : {}),
    clientOptions: { findSourceAddress: namespaceAwareSourceFinder(() => engine.client?.pid ?? null, log) },
    supervisorOptions: { maxRapidFailures: Number.POSITIVE_INFINITY, log },
    stopCrashingTargets: false,
  });
  try {
    await engine.open();
    log(`mtr-packet ${engine.client?.version ?? '?'} started (pid ${engine.client?.pid ?? '?'})`);
  } catch (err) {
    io.stderr.write(formatUserError(explainFailure(err)));
    await engine.close();
    return 1;
  }
  let history: AgentHistory | undefined;
  if (flags.history !== undefined) {
    try {
      history = await AgentHistory.open(flags.history, { log, ...(keepDays ? { keepDays } : {}) });
      log(
        `recording every session to ${flags.history} (sessions older than ${keepDays ?? DEFAULT_RETENTION_DAYS} days are removed)`,
      );
    } catch (err) {
      log(`cannot record to ${flags.history}: ${(err as Error).message}`);
      await engine.close();
      return 1;
    }
  }
  if (history) view?.serveHistory(history.storedSessionCalls());
  const recorders = [history, view?.feed].filter((r) => r !== undefined);
  const agent: Agent = new Agent({
    engine,
    log,
    ...(recorders.length ? { recorder: teeRecorders(...recorders) } : {}),
  });
  const stopAll = async () => {
    await view?.close();
    await agent.stop();
    // After the sessions stopped, so their ends are recorded too.
    await history?.close();
  };
  const build = { version: APP_VERSION, nodeVersion: process.version };
  const server = new MetricsServer(() => renderAgentMetrics(agent.snapshot(), build));
  try {
    const bound = await server.listen(listen);
    log(`metrics at http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}/metrics`);
  } catch (err) {
    log(`cannot listen on ${flags.metricsListen ?? DEFAULT_METRICS_LISTEN}: ${(err as Error).message}`);
    await stopAll();
    return 1;
  }
  try {
    await view?.start();
  } catch (err) {
    log(`cannot listen on ${flags.viewListen}: ${(err as Error).message}`);
    await server.close();
    await stopAll();
    return 1;
  }
  log(`tracing ${config.targets.length} target(s): ${describeChanges(agent.apply(config))}`);

  let reloading = Promise.resolve();
  const reload = (why: string) => {
    reloading = reloading.then(async () => {
      try {
        const next = await loadAgentConfig(flags.config);
        log(`config reloaded (${why}): ${describeChanges(agent.apply(next))}`);
        agent.noteReload(true);
      } catch (err) {
        agent.noteReload(false);
        const message = err instanceof AgentConfigError ? err.message : String(err);
        log(`config reload (${why}) refused, the running config stays: ${message}`);
      }
    });
  };
  const onHangup = () => reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  const watcher = flags.watch === false ? undefined : watchFile(flags.config, () => reload('file changed'), log);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log('stopping');
  process.off('SIGHUP', onHangup);
  watcher?.close();
  await reloading;
  await server.close();
  await stopAll();
  return 0;
}

/** Watches the config's folder, so an editor's save-by-rename is seen too. */
function watchFile(file: string, onChange: () => void, log: (m: string) => void): FSWatcher | undefined {
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name !== basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, WATCH_SETTLE_MS);
    });
    watcher.on('error', (err) => log(`no longer watching the config (${err.message}); SIGHUP still reloads it`));
    return watcher;
  } catch (err) {
    log(`cannot watch the config (${(err as Error).message}); SIGHUP reloads it`);
    return undefined;
  }
}
