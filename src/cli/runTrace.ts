import { explainFailure } from '../main/service/sessionErrors';
import { ProbeEngine } from '../main/service/probeEngine';
import { ReverseDnsCache } from '../main/net/reverseDns';
import { buildTraceDocument } from '@shared/traceDocument';
import { CLEAR_SCREEN } from './clearScreen';
import type { LiveControl } from './liveControl';
import { CliOwnerLookup } from './ownerLookup';
import type { SessionEventBatch, SessionSummary, UserFacingError } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import type { CliTraceRequest } from './options';
import type { CliRecording } from './recordSession';
import { formatUserError, renderLoaded, type CliIo } from './cliOutput';
import { openStreamOutput } from './streamOutput';

/** How long the final report waits for reverse DNS answers still outstanding. */
const FINAL_DNS_WAIT_MS = 2000;

/** A run that failed part-way says so in its document (the helper died, a probe was refused): why. */
export function withEarlyEnd(doc: TraceDocument, summary: SessionSummary): TraceDocument {
  if (summary.state !== 'failed' || !summary.error) return doc;
  const { title, detail, code } = summary.error;
  return { ...doc, endedEarly: { reason: `${title}: ${detail}`, code } };
}

/** One line under the report when the path ends at a router answering unreachable. */
export function unreachableNote(doc: TraceDocument): string {
  const u = doc.unreachable;
  return u ? `note: ${doc.target.input} is unreachable: ${u.address} at hop ${u.ttl} answered ICMP unreachable\n` : '';
}

/**
 * What the session announced besides the error that ended it (a known mtr-packet limitation, a local
 * refusal of some probes): the app shows these as they come, the CLI after its output.
 */
export class SessionNotices {
  private readonly errors: UserFacingError[] = [];

  onBatch(batch: SessionEventBatch): void {
    for (const event of batch.events) if (event.type === 'error') this.errors.push(event.error);
  }

  /** Each one as formatUserError writes it, leaving out `final` (printed on its own as the run's end). */
  text(final: UserFacingError | undefined): string {
    const same = (e: UserFacingError) => e.title === final?.title && e.detail === final.detail;
    return this.errors
      .filter((e) => !same(e))
      .map(formatUserError)
      .join('');
  }
}

/** Run one trace to completion (or Ctrl-C) and print it. Returns the exit code. */
export async function runTrace(request: CliTraceRequest, io: CliIo): Promise<number> {
  let recording: CliRecording | undefined;
  if (request.recordPath) {
    try {
      // History files need DuckDB (a native addon): loaded only when --record asks for one.
      const { startRecording } = await import('./recordSession');
      recording = await startRecording(request.recordPath, (err) =>
        io.stderr.write(`hopscope: recording to ${request.recordPath} failed: ${String(err)}\n`),
      );
    } catch (err) {
      io.stderr.write(`hopscope: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  // The same engine as the app: a supervised mtr-packet (restarted if it dies), paced probes, a route check.
  const engine = new ProbeEngine(request.mtrPacketPath ? { mtrPacketPath: request.mtrPacketPath } : {});
  try {
    await engine.open();
  } catch (err) {
    io.stderr.write(formatUserError(explainFailure(err)));
    await recording?.close();
    return 1;
  }
  const reverseDns = new ReverseDnsCache();
  const owners = await CliOwnerLookup.start(request);
  const live = request.output === 'live';
  const stream = await openStreamOutput(request, io);
  // The live view (and the keys of split mode) loads only when it runs: a report never reads it.
  const keys = live || (request.output === 'split' && process.stdin.isTTY);
  const liveView = keys ? await import('./liveControl') : undefined;
  let control: LiveControl | undefined;
  const notices = new SessionNotices();
  const session = engine.createSession('cli', request.options, reverseDns, (batch) => {
    notices.onBatch(batch);
    recording?.onBatch(batch);
    stream?.onBatch(batch);
    control?.onBatch();
  });
  if (liveView) control = new liveView.LiveControl(session, request, io, owners, reverseDns);
  const interrupt = () => session.stop();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const stopKeys = control?.listen();
  try {
    await session.start();
    const summary = await session.done;
    control?.close();
    if (summary.options.dns) await reverseDns.whenIdle(FINAL_DNS_WAIT_MS);
    // A streamed output has printed everything as it came; the names that arrived since go out now.
    if (stream) session.flush();
    await recording?.finish(session.summary());
    const doc = await owners.final(
      withEarlyEnd(buildTraceDocument(session.summary(), session.snapshotHops()), summary),
    );
    if (live) io.stdout.write(CLEAR_SCREEN);
    // What was collected is printed even when the session failed part-way; a run that measured
    // nothing (every probe refused locally, or still in flight) prints only its error.
    if (!stream && doc.hops.some((h) => h.received > 0 || h.lossPct > 0)) {
      const shown = live ? { ...request, output: 'report' as const } : request;
      io.stdout.write((await renderLoaded(doc, shown)) + (shown.output === 'report' ? unreachableNote(doc) : ''));
    }
    owners.reportProblems(io.stderr);
    io.stderr.write(notices.text(summary.error));
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
    await engine.close();
    await recording?.close();
  }
}
