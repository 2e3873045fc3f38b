/**
 * `hopscope report FILE`: statistics for a window of a recorded session,
 * printed by the same writers as `hopscope trace`. The file is opened
 * read-only: a report never changes what was recorded.
 */
import { DEFAULT_SAMPLES_PER_HOP } from '@shared/limits';
import { buildWindowDocument, HistoryFileError, HistoryStore, type StoredSession } from '../main/history';
import { UsageError, type OutputMode, type RawFlags } from './options';
import { parseReportWindow, pickSession } from './reportWindow';
import { renderLoaded, type CliIo } from './cliOutput';

/** The output flags are trace's own; the rest pick the session and the window. */
export type ReportFlags = Pick<RawFlags, 'json' | 'csv' | 'xml' | 'report' | 'reportWide' | 'showIps' | 'mtrCompat'> & {
  session?: string;
  from?: string;
  to?: string;
  list?: boolean;
};

function formatSessions(sessions: StoredSession[]): string {
  const lines = ['SESSION  STARTED (UTC)             DURATION  ROUNDS  SAMPLES     SIZE  TARGET'];
  for (const s of sessions) {
    const seconds = Math.max(0, Math.round(((s.endedAt ?? s.lastAt) - s.startedAt) / 1000));
    lines.push(
      [
        String(s.session).padStart(7),
        new Date(s.startedAt).toISOString().padEnd(24),
        `${seconds}s`.padStart(9),
        String(s.rounds).padStart(7),
        String(s.samples).padStart(8),
        `${(s.approxBytes / 1024).toFixed(1)}K`.padStart(8),
        `${s.target}${s.targetAddress && s.targetAddress !== s.target ? ` (${s.targetAddress})` : ''}`,
      ].join('  '),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function runReport(path: string, flags: ReportFlags, io: CliIo): Promise<number> {
  const window = parseReportWindow(flags);
  const output: OutputMode = flags.json ? 'json' : flags.csv ? 'csv' : flags.xml ? 'xml' : 'report';
  if (flags.mtrCompat && output !== 'json' && output !== 'xml')
    throw new UsageError('--mtr-compat goes with --json or -x/--xml');

  let store: HistoryStore;
  try {
    store = await HistoryStore.open(path, { readOnly: true });
  } catch (err) {
    if (!(err instanceof HistoryFileError)) throw err;
    io.stderr.write(`hopscope: ${err.message}\n`);
    return 1;
  }
  try {
    const sessions = await store.sessions();
    if (flags.list) {
      io.stdout.write(formatSessions(sessions));
      return 0;
    }
    const session = pickSession(sessions, flags.session);
    if (!session) {
      io.stderr.write(
        sessions.length === 0
          ? `hopscope: ${path}: no session recorded yet\n`
          : `hopscope: ${path}: no session ${JSON.stringify(flags.session)} (see 'hopscope report --list ${path}')\n`,
      );
      return 1;
    }
    // Only JSON carries raw samples; the text formats need just the newest round for Last.
    const json = output === 'json' && !flags.mtrCompat;
    const { document, stats } = await buildWindowDocument(store, session, window, {
      samplesPerHop: json ? DEFAULT_SAMPLES_PER_HOP : 1,
      jitter: json,
      // The trace formats have no percentile columns.
      percentiles: false,
    });
    if (stats.hops.length === 0) {
      io.stderr.write(`hopscope: ${path}: session ${session.session} has no samples in that window\n`);
      return 1;
    }
    io.stdout.write(
      await renderLoaded(document, {
        output,
        mtrCompat: Boolean(flags.mtrCompat),
        wide: Boolean(flags.reportWide),
        showIps: Boolean(flags.showIps),
      }),
    );
    return 0;
  } finally {
    await store.close();
  }
}
