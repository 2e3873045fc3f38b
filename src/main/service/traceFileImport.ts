/**
 * Opening a trace file on the engine side (Electron's Open dialog) without
 * hurting the main process: the size is checked with `stat` before a byte is
 * read, and a large file is read and parsed in a worker thread, so the
 * window stays responsive while a 50 MB import runs.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { importTraceText } from '@shared/formats/importTrace';
import { MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE } from '@shared/limits';
import type { ImportResult } from '@shared/ipc';

/** Below this, starting a worker costs more than parsing where we are. */
export const INLINE_IMPORT_MAX_BYTES = 1024 * 1024;

export type ImportPlan = 'too-large' | 'inline' | 'worker';

/**
 * What to do with a file of `bytes` bytes. Trace files are ASCII, so one
 * of more than MAX_TRACE_FILE_CHARS bytes is over the 50 MB limit: it is
 * refused from its size alone, never read.
 */
export function planTraceFileImport(bytes: number, workerAvailable: boolean): ImportPlan {
  if (bytes > MAX_TRACE_FILE_CHARS) return 'too-large';
  return workerAvailable && bytes > INLINE_IMPORT_MAX_BYTES ? 'worker' : 'inline';
}

/** A file that cannot be read at all (missing, a folder, no permission): the caller's error, not an import result. */
export class TraceFileReadError extends Error {}

function readFailure(path: string, err: unknown): TraceFileReadError {
  const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : 'unknown error');
  return new TraceFileReadError(`cannot read ${basename(path)}: ${code}`);
}

/** Read and parse in this thread: the worker's job, and the whole job for small files. */
export async function readAndImportTraceFile(path: string): Promise<ImportResult> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw readFailure(path, err);
  });
  return importTraceText(basename(path), text);
}

export interface WorkerEntry {
  /** The worker script: traceFileWorker as built (Electron), or a loader for its source (tests). */
  path: string;
}

/** A worker's answer: the import result, or why the file could not be read. */
export type WorkerReply = { ok: true; result: ImportResult } | { ok: false; readError: string };

function importInWorker(path: string, entry: WorkerEntry): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.path, { workerData: { path } });
    let settled = false;
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) resolve(reply.result);
      else reject(new TraceFileReadError(reply.readError));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      settled = true;
      reject(new TraceFileReadError(`cannot import ${basename(path)}: ${err.message}`));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new TraceFileReadError(`cannot import ${basename(path)}: the import stopped (${code})`));
    });
  });
}

/**
 * Open a trace file from disk. Throws TraceFileReadError when it cannot be
 * read; every problem with its contents (size included) is an ImportResult.
 */
export async function importTraceFile(path: string, worker?: WorkerEntry): Promise<ImportResult> {
  const info = await stat(path).catch((err: unknown) => {
    throw readFailure(path, err);
  });
  if (!info.isFile()) throw new TraceFileReadError(`cannot read ${basename(path)}: not a file`);
  const plan = planTraceFileImport(info.size, worker !== undefined);
  if (plan === 'too-large') return { ok: false, error: TRACE_FILE_TOO_LARGE, fileName: basename(path) };
  if (plan === 'worker' && worker) return importInWorker(path, worker);
  return readAndImportTraceFile(path);
}
