/**
 * Worker thread entry: read and parse one trace file off the main thread
 * (see traceFileImport.ts), post the result back once, and end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readAndImportTraceFile, TraceFileReadError, type WorkerReply } from './traceFileImport';

const { path } = workerData as { path: string };

void readAndImportTraceFile(path).then(
  (result) => parentPort?.postMessage({ ok: true, result } satisfies WorkerReply),
  (err: unknown) =>
    parentPort?.postMessage({
      ok: false,
      readError: err instanceof TraceFileReadError ? err.message : `cannot import: ${String(err)}`,
    } satisfies WorkerReply),
);
