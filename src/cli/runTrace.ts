import { hostname } from 'node:os';
import { MtrPacketClient } from '../main/mtr/client';
import { TraceSession } from '../main/trace/traceSession';
import { explainFailure } from '../main/trace/sessionErrors';
import { ReverseDnsCache } from '../main/net/reverseDns';
import { buildTraceDocument } from '@shared/traceDocument';
import { formatReport } from '@shared/formats/report';
import { toMtrJson } from '@shared/formats/mtrJson';
import { toMtrCsv } from '@shared/formats/mtrCsv';
import type { UserFacingError } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import type { CliTraceRequest } from './options';
import { startRecording, type CliRecording } from './recordSession';

/** How long the final report waits for reverse DNS answers still outstanding. */
const FINAL_DNS_WAIT_MS = 2000;
const LIVE_REFRESH_MS = 250;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function formatUserError(error: UserFacingError): string {
  const lines = [`hopscope: ${error.title}: ${error.detail}`];
  if (error.fix) lines.push(`fix: ${error.fix}`);
  return lines.join('\n') + '\n';
}

export function render(
  doc: TraceDocument,
  request: Pick<CliTraceRequest, 'output' | 'mtrCompat' | 'wide' | 'showIps'>,
): string {
  switch (request.output) {
    case 'json':
      return (
        JSON.stringify(
          request.mtrCompat ? toMtrJson(doc, { localHost: hostname(), showIps: request.showIps }) : doc,
          null,
          2,
        ) + '\n'
      );
    case 'csv':
      return toMtrCsv(doc, { showIps: request.showIps });
    default:
      return formatReport(doc, { wide: request.wide, mpls: true, showIps: request.showIps, localHost: hostname() });
  }
}

/** Run one trace to completion (or Ctrl-C) and print it. Returns the exit code. */
export async function runTrace(request: CliTraceRequest, io: CliIo): Promise<number> {
  let recording: CliRecording | undefined;
  if (request.recordPath) {
    try {
      recording = await startRecording(request.recordPath, (err) =>
        io.stderr.write(`hopscope: recording to ${request.recordPath} failed: ${String(err)}\n`),
      );
    } catch (err) {
      io.stderr.write(`hopscope: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const client = new MtrPacketClient(request.mtrPacketPath ? { path: request.mtrPacketPath } : {});
  try {
    await client.open();
  } catch (err) {
    io.stderr.write(formatUserError(explainFailure(err)));
    await recording?.close();
    return 1;
  }
  const reverseDns = new ReverseDnsCache();
  const live = request.output === 'live';
  // Repaint at most every LIVE_REFRESH_MS, always including the latest change.
  let paintTimer: NodeJS.Timeout | undefined;
  const session = new TraceSession(
    'cli',
    request.options,
    { transport: client, reverseDns, mtrPacketVersion: client.version },
    (batch) => {
      recording?.onBatch(batch);
      if (!live || paintTimer) return;
      paintTimer = setTimeout(() => {
        paintTimer = undefined;
        paintLive(session, request, io);
      }, LIVE_REFRESH_MS);
    },
  );
  const interrupt = () => session.stop();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const stopKeys = live ? listenForKeys(session) : undefined;
  try {
    await session.start();
    const summary = await session.done;
    clearTimeout(paintTimer);
    if (summary.options.dns) await reverseDns.whenIdle(FINAL_DNS_WAIT_MS);
    await recording?.finish(session.summary());
    const doc = buildTraceDocument(session.summary(), session.snapshotHops());
    if (live) io.stdout.write('\x1b[H\x1b[2J');
    // What was collected is printed even when the session failed part-way.
    if (doc.hops.some((h) => h.sent > 0))
      io.stdout.write(render(doc, live ? { ...request, output: 'report' } : request));
    if (summary.state === 'failed' && summary.error) {
      io.stderr.write(formatUserError(summary.error));
      return 1;
    }
    return 0;
  } finally {
    session.dispose();
    stopKeys?.();
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await client.close();
    await recording?.close();
  }
}

/** mtr's keys in the live view: q quits, p pauses and resumes. Returns a function that restores the terminal. */
function listenForKeys(session: TraceSession): (() => void) | undefined {
  const stdin = process.stdin;
  if (!stdin.isTTY) return undefined;
  stdin.setRawMode(true);
  stdin.resume();
  const onKey = (data: Buffer) => {
    const key = data.toString();
    // Raw mode delivers Ctrl-C as a character instead of SIGINT.
    if (key === 'q' || key === '\x03') session.stop();
    else if (key === 'p') {
      if (session.summary().state === 'paused') session.resume();
      else session.pause();
    }
  };
  stdin.on('data', onKey);
  return () => {
    stdin.off('data', onKey);
    stdin.setRawMode(false);
    stdin.pause();
  };
}

function paintLive(session: TraceSession, request: CliTraceRequest, io: CliIo): void {
  const summary = session.summary();
  const doc = buildTraceDocument(summary, session.snapshotHops());
  const address =
    summary.targetAddress && summary.targetAddress !== summary.options.target ? ` (${summary.targetAddress})` : '';
  const header =
    `hopscope ${summary.options.protocol.toUpperCase()} to ${summary.options.target}${address}` +
    `  round ${summary.rounds}${summary.options.count ? `/${summary.options.count}` : ''}` +
    `${summary.state === 'paused' ? '  [paused]' : ''}  —  p pause · q quit\n\n`;
  io.stdout.write(
    '\x1b[H\x1b[2J' +
      header +
      formatReport(doc, { wide: request.wide, mpls: true, showIps: request.showIps, localHost: hostname() }),
  );
}
